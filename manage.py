#!/usr/bin/env python
from mognad.cli import main

if __name__ == "__main__":
    main()
