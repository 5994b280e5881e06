"""The supervisors' workbench (`auditor serve`): batches uploaded in the browser, audited in the background by
the same pipeline as the CLI, reviewed by people, exported as the CLI's own formats."""
