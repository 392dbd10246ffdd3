# Exports classic public time series shipped with R (package datasets) and with the forecast
# package to CSV (date,value), for `npm run bench:accuracy`. Usage: Rscript export-datasets.R OUTDIR
# Writes OUTDIR/<name>.csv and OUTDIR/r-series.csv (name,frequency,periods,horizon,source).
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "."
dir.create(out, showWarnings = FALSE, recursive = TRUE)

# Dates for a regular ts: monthly/quarterly on the 1st of the month, yearly on January 1st.
ts_dates <- function(y) {
  f <- frequency(y)
  t <- round(time(y) * f) / f
  year <- floor(t + 1e-9)
  if (f == 12 || f == 4) {
    month <- round((t - year) * 12) + 1
    sprintf("%04d-%02d-01", year, month)
  } else {
    sprintf("%04d-01-01", year)
  }
}

meta <- data.frame()
add <- function(name, y, frequency, periods, horizon, source, dates = NULL) {
  if (is.null(dates)) dates <- ts_dates(y)
  v <- as.numeric(y)
  write.csv(data.frame(date = dates, value = ifelse(is.na(v), "", format(v, digits = 15, trim = TRUE))),
            file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  meta <<- rbind(meta, data.frame(name = name, frequency = frequency, periods = periods, horizon = horizon, source = source))
}

# Monthly (M4 horizon 18)
add("AirPassengers", AirPassengers, "monthly", "12", 18, "R datasets: airline passengers 1949-1960")
add("USAccDeaths", USAccDeaths, "monthly", "12", 18, "R datasets: US accidental deaths 1973-1978")
add("nottem", nottem, "monthly", "12", 18, "R datasets: Nottingham temperatures 1920-1939")
add("co2", co2, "monthly", "12", 18, "R datasets: Mauna Loa CO2 1959-1997")
add("ldeaths", ldeaths, "monthly", "12", 18, "R datasets: UK lung disease deaths 1974-1979")
add("mdeaths", mdeaths, "monthly", "12", 18, "R datasets: UK lung disease deaths, males")
add("UKDriverDeaths", UKDriverDeaths, "monthly", "12", 18, "R datasets: UK car drivers killed or injured 1969-1984")
add("DriversKilled", Seatbelts[, "DriversKilled"], "monthly", "12", 18, "R datasets: UK car drivers killed 1969-1984")
add("gas", gas, "monthly", "12", 18, "R forecast: Australian gas production 1956-1995")
add("wineind", wineind, "monthly", "12", 18, "R forecast: Australian wine sales 1980-1994")
add("sunspot_month", window(sunspot.month, start = 1900), "monthly", "12", 18, "R datasets: monthly sunspots since 1900 (no real 12-month cycle)")
# Quarterly (M4 horizon 8)
add("UKgas", UKgas, "quarterly", "4", 8, "R datasets: UK gas consumption 1960-1986")
add("JohnsonJohnson", JohnsonJohnson, "quarterly", "4", 8, "R datasets: J&J quarterly earnings 1960-1980")
add("woolyrnq", woolyrnq, "quarterly", "4", 8, "R forecast: Australian woollen yarn production")
add("austres", austres, "quarterly", "4", 8, "R datasets: Australian residents 1971-1993")
# Yearly, no cycle (M4 horizon 6)
add("Nile", Nile, "yearly", "1", 6, "R datasets: Nile flow 1871-1970")
add("lynx", lynx, "yearly", "1", 6, "R datasets: Canadian lynx trappings 1821-1934")
# Half-hourly electricity demand (England and Wales, June-August 2000), horizon 2 days
taylor_dates <- format(seq(as.POSIXct("2000-06-05 00:00", tz = "UTC"), by = "30 min", length.out = length(taylor)), "%Y-%m-%dT%H:%M")
add("taylor", taylor, "half-hourly", "48;336", 96, "R forecast: half-hourly electricity demand 2000 (Taylor 2003)", taylor_dates)

write.csv(meta, file.path(out, "r-series.csv"), row.names = FALSE)
cat(nrow(meta), "series written to", out, "\n")
