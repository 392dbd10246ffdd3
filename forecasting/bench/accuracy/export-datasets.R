# Exports classic public time series shipped with R (package datasets) and with the forecast
# package, and count series from bench-only R packages where installed (surveillance, EpiEstim,
# modeldata, AER, ggplot2), to CSV (date,value), for `npm run bench:accuracy`.
# Usage: Rscript export-datasets.R OUTDIR
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

# Counts closer to a practice's: weekly disease notifications and deaths, daily ridership and
# case counts, monthly sales. These come from Debian's bench-only R packages (apt-get install
# r-cran-surveillance r-cran-epiestim r-cran-modeldata r-cran-aer r-cran-ggplot2); a missing one is
# skipped with a message.
have <- function(pkg) {
  ok <- requireNamespace(pkg, quietly = TRUE)
  if (!ok) message("R package ", pkg, " not installed: its series are skipped")
  ok
}
pkg_data <- function(name, pkg) {
  e <- new.env()
  data(list = name, package = pkg, envir = e)
  get(name, envir = e)
}
# Weekly series are labelled by the Monday that starts each week (ISO weeks), as the engine wants.
mondays <- function(first, n) {
  first <- as.Date(first)
  stopifnot(format(first, "%u") == "1")
  format(first + 7 * (seq_len(n) - 1), "%Y-%m-%d")
}
# Monday of ISO week 1 of a year (the week holding January 4th).
iso_week1 <- function(year) {
  jan4 <- as.Date(sprintf("%04d-01-04", year))
  jan4 - (as.integer(format(jan4, "%u")) - 1)
}
add_weekly <- function(name, counts, first_monday, source, drop_last = 0) {
  counts <- as.numeric(counts)
  if (drop_last > 0) counts <- head(counts, -drop_last)
  add(name, counts, "weekly", "52", 13, source, mondays(first_monday, length(counts)))
}
if (have("surveillance")) {
  sts_total <- function(x) rowSums(surveillance::observed(x))
  sts_monday <- function(x) as.character(surveillance::epoch(x)[1])
  # The last weeks of these onset-dated series are still filling in (reporting delay): dropped.
  salm <- pkg_data("salmAllOnset", "surveillance")
  add_weekly("salmonella_de", sts_total(salm), sts_monday(salm), "R surveillance: Salmonella cases in Germany per week by onset 2001-2015 (last 6 weeks, still being reported, dropped)", 6)
  hosp <- pkg_data("salmHospitalized", "surveillance")
  add_weekly("salmonella_hospitalized_de", sts_total(hosp), sts_monday(hosp), "R surveillance: hospitalized Salmonella cases in Germany per week 2004-2014 (last 2 weeks dropped)", 2)
  newport <- pkg_data("stsNewport", "surveillance")
  add_weekly("salmonella_newport_de", sts_total(newport), sts_monday(newport), "R surveillance: Salmonella Newport cases in Germany per week 2001-2015, about 2 a week with outbreaks (last 6 weeks dropped)", 6)
  hadar <- pkg_data("shadar", "surveillance")
  add_weekly("salmonella_hadar_de", as.matrix(hadar$observed)[, 1], iso_week1(hadar$start[1]), "R surveillance: Salmonella Hadar cases in Germany per week 2001-2006, about 3 a week")
  agona <- pkg_data("salmonella.agona", "surveillance")
  add_weekly("salmonella_agona_uk", as.matrix(agona$observed)[, 1], iso_week1(agona$start[1]), "R surveillance: Salmonella Agona cases in the UK per week 1990-1995, about 3 a week")
  campy <- pkg_data("campyDE", "surveillance")
  add_weekly("campylobacter_de", campy$case, as.character(campy$date[1]), "R surveillance: Campylobacteriosis cases in Germany per week 2002-2011")
  momo <- pkg_data("momo", "surveillance")
  add_weekly("deaths_dk", sts_total(momo), sts_monday(momo), "R surveillance: all-cause deaths in Denmark per week 1994-2008 (all ages)")
  add_weekly("deaths_dk_infants", surveillance::observed(momo)[, "[0,1)"], sts_monday(momo), "R surveillance: deaths under one year in Denmark per week 1994-2008, about 9 a week")
  influ <- pkg_data("influMen", "surveillance")
  add_weekly("influenza_de", influ$observed[, "influenza"], iso_week1(influ$start[1]), "R surveillance: influenza notifications in Germany per week 2001-2006 (winter epidemics)")
  add_weekly("meningococcal_de", influ$observed[, "meningococcus"], iso_week1(influ$start[1]), "R surveillance: meningococcal infections in Germany per week 2001-2006, about 10 a week")
  hepa <- pkg_data("hepatitisA", "surveillance")
  add_weekly("hepatitis_a_de", as.matrix(hepa$observed)[, 1], iso_week1(hepa$start[1]), "R surveillance: hepatitis A cases in Germany per week 2001-2004")
  measles <- pkg_data("measlesDE", "surveillance")
  add_weekly("measles_de", sts_total(measles), iso_week1(measles@start[1]), "R surveillance: measles cases in Germany per week 2005-2007 (outbreaks; under three years)")
  # Invasive meningococcal disease, one row per case: counted per ISO week, about 2 a week.
  imd <- pkg_data("imdepi", "surveillance")
  imd_days <- as.Date("2002-01-01") + floor(imd$events$time)
  imd_weeks <- as.integer(floor(as.numeric(imd_days - iso_week1(2002)) / 7))
  imd_counts <- tabulate(imd_weeks + 1, nbins = max(imd_weeks) + 1)
  add_weekly("meningococcal_imd_de", imd_counts[-length(imd_counts)], iso_week1(2002), "R surveillance: invasive meningococcal disease cases (imdepi) per week 2002-2008, about 2 a week")
  rota <- pkg_data("rotaBB", "surveillance")
  add("rotavirus_bb", ts(sts_total(rota), start = c(2002, 1), frequency = 12), "monthly", "12", 18, "R surveillance: rotavirus cases in Brandenburg per month 2002-2013")
  meningo <- pkg_data("meningo.age", "surveillance")
  add("meningococcal_fr", ts(rowSums(as.matrix(meningo$observed)), start = c(1985, 1), frequency = 12), "monthly", "12", 18, "R surveillance: meningococcal infections in France per month 1985-1997")
}
if (have("EpiEstim")) {
  mers <- pkg_data("mers_2014_15", "EpiEstim")$incidence
  add("mers_daily", mers$local + mers$imported, "daily", "7;365.25", 28, "R EpiEstim: MERS cases in Saudi Arabia per day 2014-2015, about 1 a day", format(mers[[1]], "%Y-%m-%d"))
}
if (have("modeldata")) {
  chicago <- pkg_data("Chicago", "modeldata")
  # Clark/Lake rides per day (the package gives thousands); the last 3 years and the horizon.
  keep <- tail(seq_len(nrow(chicago)), 3 * 365 + 28)
  add("chicago_clark_lake", round(1000 * chicago$ridership[keep]), "daily", "7;365.25", 28, "R modeldata: Chicago L rides per day at Clark/Lake 2013-2016", format(chicago$date[keep], "%Y-%m-%d"))
  # The station columns are lagged 14 days in the package: shifted back onto their own dates.
  austin <- round(1000 * chicago$Austin[-(1:14)])
  keep <- tail(seq_along(austin), 3 * 365 + 28)
  add("chicago_austin", austin[keep], "daily", "7;365.25", 28, "R modeldata: Chicago L rides per day at Austin 2013-2016", format(chicago$date[keep], "%Y-%m-%d"))
}
if (have("AER")) {
  add("dutch_retail_sales", pkg_data("DutchSales", "AER"), "monthly", "12", 18, "R AER: Dutch retail sales index 1960-1995")
}
if (have("ggplot2")) {
  tx <- pkg_data("txhousing", "ggplot2")
  houston <- tx[tx$city == "Houston", ]
  add("houses_sold_houston", ts(houston$sales, start = c(houston$year[1], houston$month[1]), frequency = 12), "monthly", "12", 18, "R ggplot2: homes sold per month in Houston 2000-2015 (txhousing)")
}

write.csv(meta, file.path(out, "r-series.csv"), row.names = FALSE)
cat(nrow(meta), "series written to", out, "\n")
