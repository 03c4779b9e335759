-- The last day each ad platform has reported statistics for, from the ad mart every platform lands in
-- (zakaz.dm_ads_daily, small: a row per day, city, event and campaign). Platforms report up to
-- yesterday, so the dashboard reads the spend of later days as not loaded yet, never as zero
-- (dashboards spec, "Incomplete periods"); a platform never loaded has no row.
CREATE OR REPLACE VIEW bi.v_ad_reported_days SQL SECURITY DEFINER AS
SELECT toString(source) AS source, max(stat_date) AS last_reported_day
FROM zakaz.dm_ads_daily FINAL
GROUP BY source;
