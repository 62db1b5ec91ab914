"""One module per file format PARS reads or writes."""
