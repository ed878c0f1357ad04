package dev.wasched.schedule;

/**
 * The syntax a cron expression is written in; {@link Trigger#cron(String, java.time.ZoneId)} reads {@link #UNIX}.
 * Every dialect runs in wall-clock time of the trigger's zone, with the same daylight-saving rules.
 */
public enum CronDialect {
    /**
     * Five fields (minute hour day-of-month month day-of-week), or one of Vixie cron's macros: {@code @yearly}
     * ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}), {@code @hourly}.
     */
    UNIX,
    /**
     * Quartz: six or seven fields (second minute hour day-of-month month day-of-week [year]), with {@code L},
     * {@code W}, {@code #}, and {@code ?} in exactly one of the day fields; day-of-week 1 is Sunday. No macros.
     */
    QUARTZ,
    /**
     * Spring's {@code CronExpression} (5.3 and later): six fields (second minute hour day-of-month month
     * day-of-week), with {@code L}, {@code W}, {@code #} and {@code ?}, and the same macros as {@link #UNIX}.
     */
    SPRING
}
