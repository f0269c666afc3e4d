import sys

from .cli.run import main

sys.exit(main())
