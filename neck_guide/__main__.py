from neck_guide.app import main

raise SystemExit(main())
