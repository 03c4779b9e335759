-- Access control for server deployments, defined in SQL (config-file users cannot be granted to).
-- chDB has no access management: the runner skips these statements on the embedded store.
--   zakaz_writer: the pipeline and migrations (everything on zakaz, views in bi);
--   zakaz_reader: dashboards and BI tools, SELECT on the public bi views only;
--   zakaz_backup: reads both databases and may back them up.
-- Users get these roles with `zakaz db users create`.
CREATE ROLE IF NOT EXISTS zakaz_writer;
CREATE ROLE IF NOT EXISTS zakaz_reader;
CREATE ROLE IF NOT EXISTS zakaz_backup;

GRANT SELECT, INSERT, ALTER, CREATE TABLE, CREATE VIEW, DROP VIEW, OPTIMIZE ON zakaz.* TO zakaz_writer;
GRANT SELECT, CREATE VIEW, DROP VIEW ON bi.* TO zakaz_writer;
GRANT SELECT ON bi.* TO zakaz_reader;
GRANT SELECT, BACKUP ON zakaz.* TO zakaz_backup;
GRANT SELECT, BACKUP ON bi.* TO zakaz_backup;
