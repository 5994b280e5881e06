"""Compliance checklist auditor for 法治政府建设年度报告."""
import os

# Audit workers are forked from processes that have loaded numpy: a BLAS thread pool in the parent can leave a
# forked child waiting forever on threads it does not have. Reports need no parallel linear algebra.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
