"""What every feature stands on: settings, the database session, audit history, errors, htmx
helpers, security headers, shared form fields, value rules and URL converters."""
