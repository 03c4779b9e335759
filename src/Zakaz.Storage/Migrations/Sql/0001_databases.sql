-- Two databases so access can be granted per database: zakaz holds staging, facts and metadata
-- that only Zakaz itself touches; bi is the public read model that BI tools and analysts query.
CREATE DATABASE IF NOT EXISTS zakaz;
CREATE DATABASE IF NOT EXISTS bi;
