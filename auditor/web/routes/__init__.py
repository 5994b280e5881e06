"""The workbench's pages, one router per room: batches, one report, exports."""
