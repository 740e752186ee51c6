"""Alembic's environment: migrations run on the connection ``standings.storage.schema`` hands over.

They run inside the caller's transaction, which already holds the store's write lock (so two
servers opening one new database never both create it).
"""

from alembic import context

from standings.storage.store import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot alter most of a table in place: Alembic copies it ("batch" mode).
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
