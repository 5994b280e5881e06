"""Compliance checklist auditor for 法治政府建设年度报告."""
__version__ = "0.1.0"
