"""Activities: the record's rules (status, sections, steps), its writes, the list and the
catalog, and the forms that enter it."""
