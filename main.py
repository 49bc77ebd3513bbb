"""Start Neck Guide: ``python main.py`` is the same as ``neck-guide``."""

from neck_guide.app import main

if __name__ == "__main__":
    raise SystemExit(main())
