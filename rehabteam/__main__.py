from rehabteam.cli import main

raise SystemExit(main())
