package dev.wasched.schedule;

import dev.wasched.ValidationException;

/**
 * A trigger that cannot send to this kind of target: a contact-date trigger ({@link Trigger.YearlyOn}) reads each
 * recipient's date from a contact field, so it needs contacts (a list or a tag), never a group or a bare number.
 */
public class TargetNotSupportedException extends ValidationException {
    private final Trigger trigger;
    private final Target target;

    public TargetNotSupportedException(Trigger.YearlyOn trigger, Target target) {
        super("target", "a contact-date trigger (field '" + trigger.field() + "') sends to contacts, a list or a tag;"
                + " a " + kind(target) + " target has no contact to read the date from");
        this.trigger = trigger;
        this.target = target;
    }

    private static String kind(Target target) {
        return target instanceof Target.Group ? "group" : target instanceof Target.Number ? "number" : "other";
    }

    public Trigger trigger() {
        return trigger;
    }

    public Target target() {
        return target;
    }
}
