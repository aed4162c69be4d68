"""Images of the site: who may choose them in the admin (`visibility`), how the API shows them (`api`), and
how uploads are served where Django serves them itself (`serving`)."""
