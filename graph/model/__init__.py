"""The model: typed records read from documents, the merged account, stable keys, the errors a user can cause."""
