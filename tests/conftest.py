"""Shared test set-up: `tests/` on sys.path so tests can `import figures`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
