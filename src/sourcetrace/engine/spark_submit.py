"""Script for ``spark-submit``: ``spark-submit [options] spark_submit.py INPUT... -o OUT``.

spark-submit runs a file, not a module, so this one uses absolute imports only; print
its path with ``python -c "import sourcetrace.engine.spark_submit as m; print(m.__file__)"``.
"""

import sys

from sourcetrace.engine.spark import main

if __name__ == "__main__":
    sys.exit(main())
