// Placeholder: the spec fixtures beside it include `app/**`.
