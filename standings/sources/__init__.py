"""Sources: readers of the official sheets (PDF), the ISU results API, the results CSV and the
short-track files. Each reads and checks everything one source gives and returns
``standings.model.RaceImport`` values; nothing here writes the store. Sources may import only
the core (``standings.model``, ``errors``, ``identity``, ``nations``, ``rules``)."""
