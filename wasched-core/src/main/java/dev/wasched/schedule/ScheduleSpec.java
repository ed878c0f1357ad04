package dev.wasched.schedule;

import dev.wasched.ValidationException;
import dev.wasched.message.MediaAttachment;
import java.time.Instant;
import java.util.Map;

/**
 * What a caller asks for when creating a schedule. Build with {@link #builder()}:
 *
 * <pre>{@code
 * ScheduleSpec.builder()
 *     .account("shop")
 *     .to(Target.tag("customers"))
 *     .template("weekly-offer", Map.of("discount", "10%"))
 *     .trigger(Trigger.cron("0 9 * * MON", ZoneId.of("Europe/Berlin")))
 *     .build();
 * }</pre>
 */
public record ScheduleSpec(String name, String account, Target target, ScheduledMessage message, Trigger trigger,
                           MisfirePolicy misfire, Instant endAt, long maxRuns, java.util.List<String> accounts) {
    /** The most accounts one campaign is spread over. */
    public static final int MAX_ACCOUNTS = 100;

    public ScheduleSpec {
        if (accounts != null && !accounts.isEmpty()) {
            if (accounts.size() > MAX_ACCOUNTS) {
                throw new ValidationException("accounts", "at most " + MAX_ACCOUNTS + ", got " + accounts.size());
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String a : accounts) {
                if (a == null || a.isBlank()) {
                    throw new ValidationException("accounts", "an account name is blank");
                }
                if (!seen.add(a)) {
                    throw new ValidationException("accounts", "'" + a + "' is named twice");
                }
            }
            if (account != null && !account.equals(accounts.get(0))) {
                throw new ValidationException("accounts", "the first must be the schedule's account '" + account
                        + "', was '" + accounts.get(0) + "'");
            }
            account = accounts.get(0);
            accounts = java.util.List.copyOf(accounts);
        }
        if (account == null || account.isBlank()) {
            throw new ValidationException("account", "is required");
        }
        if (accounts == null || accounts.isEmpty()) {
            accounts = java.util.List.of(account);
        }
        if (target == null) {
            throw new ValidationException("target", "is required");
        }
        if (message == null) {
            throw new ValidationException("message", "is required");
        }
        if (trigger == null) {
            throw new ValidationException("trigger", "is required");
        }
        if (maxRuns < 0) {
            throw new ValidationException("maxRuns", "must not be negative");
        }
        if (name != null && name.length() > 200) {
            throw new ValidationException("name", "longer than 200 characters");
        }
        if (trigger instanceof Trigger.YearlyOn yearly) {
            if (!(target instanceof Target.Contacts || target instanceof Target.Tag)) {
                throw new TargetNotSupportedException(yearly, target);
            }
            if (maxRuns > 0) {
                throw new ValidationException("maxRuns", "a contact-date trigger has no run limit; end it with endAt");
            }
        }
        misfire = misfire == null ? MisfirePolicy.DEFAULT : misfire;
    }

    /** A schedule of one account. */
    public ScheduleSpec(String name, String account, Target target, ScheduledMessage message, Trigger trigger,
                        MisfirePolicy misfire, Instant endAt, long maxRuns) {
        this(name, account, target, message, trigger, misfire, endAt, maxRuns, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String name;
        private String account;
        private java.util.List<String> accounts;
        private Target target;
        private String text;
        private String templateName;
        private Map<String, String> variables = Map.of();
        private MediaAttachment media;
        private Trigger trigger;
        private MisfirePolicy misfire;
        private Instant endAt;
        private long maxRuns;

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Spreads the recipients over these accounts (a campaign from several numbers): each contact is sent to from
         * one of them, always the same one while it can send (chosen by the contact, not by turns), and each account
         * keeps its own pacing. While one is paused or restricted, its share goes to the others; so do its
         * pending messages. The first is the schedule's {@link #account(String) account}.
         */
        public Builder accounts(String... names) {
            this.accounts = java.util.List.of(names);
            this.account = names.length == 0 ? account : names[0];
            return this;
        }

        public Builder accounts(java.util.List<String> names) {
            return accounts(names.toArray(String[]::new));
        }

        public Builder account(String account) {
            this.accounts = null;
            this.account = account;
            return this;
        }

        public Builder to(Target target) {
            this.target = target;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder template(String templateName, Map<String, String> variables) {
            this.templateName = templateName;
            this.variables = variables;
            return this;
        }

        public Builder variables(Map<String, String> variables) {
            this.variables = variables;
            return this;
        }

        public Builder media(MediaAttachment media) {
            this.media = media;
            return this;
        }

        public Builder trigger(Trigger trigger) {
            this.trigger = trigger;
            return this;
        }

        public Builder misfire(MisfirePolicy misfire) {
            this.misfire = misfire;
            return this;
        }

        public Builder endAt(Instant endAt) {
            this.endAt = endAt;
            return this;
        }

        public Builder maxRuns(long maxRuns) {
            this.maxRuns = maxRuns;
            return this;
        }

        public ScheduleSpec build() {
            ScheduledMessage message = templateName == null && text == null && media == null ? null
                    : new ScheduledMessage(templateName, text, variables, media);
            return new ScheduleSpec(name, account, target, message, trigger, misfire, endAt, maxRuns, accounts);
        }
    }
}
