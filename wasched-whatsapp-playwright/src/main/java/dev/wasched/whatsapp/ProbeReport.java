package dev.wasched.whatsapp;

import dev.wasched.session.AccountState;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PlaywrightTransport#probe(boolean)} found on WhatsApp Web's page: the page's build, the selector pack in
 * use, for every key it could check which candidate matched (with a short, redacted sample of the page where none
 * did), and the checks of what the transport does with them. Nothing in it holds message text or phone numbers.
 *
 * @param account  the account probed
 * @param state    the account's state when probed
 * @param screen   the screen the page showed (MAIN, QR, LOADING...)
 * @param webBuild the WhatsApp Web build the page reports, or null when it reports none
 * @param profile  the selector pack ({@link SelectorProfile#describe()})
 * @param keys     the keys checked, in order
 * @param checks   the capabilities checked, in order
 */
public record ProbeReport(String account, AccountState state, String screen, String webBuild, String profile,
                          List<KeyCheck> keys, List<Check> checks) {
    public ProbeReport {
        Objects.requireNonNull(account, "account");
        keys = List.copyOf(keys);
        checks = List.copyOf(checks);
    }

    /**
     * One profile key: which candidate matched, whether the transport needs it on this page, and, when nothing
     * matched, a redacted outline of the part of the page where it was looked for.
     */
    public record KeyCheck(SelectorMatch match, boolean required, String sample) {
        public KeyCheck {
            Objects.requireNonNull(match, "match");
        }

        public boolean failed() {
            return required && !match.matched();
        }
    }

    /** One capability, e.g. "open a chat inside the page" or "send to the account's own chat". */
    public record Check(String name, boolean ok, String detail) {
        public Check {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Whether the account is READY, every required key matched and every check passed. */
    public boolean ok() {
        return state == AccountState.READY && keys.stream().noneMatch(KeyCheck::failed)
                && checks.stream().allMatch(Check::ok);
    }

    /** The report as lines for a terminal. */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append("account ").append(account).append(": ").append(state).append(", screen ").append(screen).append('\n');
        b.append("WhatsApp Web build: ").append(webBuild == null ? "not reported" : webBuild).append('\n');
        b.append("selector pack: ").append(profile).append('\n');
        for (KeyCheck k : keys) {
            b.append(k.failed() ? "FAIL " : k.match().matched() ? "ok   " : "-    ").append(k.match());
            if (!k.match().matched() && !k.required()) {
                b.append(" (not needed here)");
            }
            b.append('\n');
            if (!k.match().matched() && k.sample() != null) {
                b.append("       page there: ").append(k.sample()).append('\n');
            }
        }
        for (Check c : checks) {
            b.append(c.ok() ? "ok   " : "FAIL ").append(c.name());
            if (c.detail() != null) {
                b.append(": ").append(c.detail());
            }
            b.append('\n');
        }
        b.append(ok() ? "probe passed" : "probe FAILED").append('\n');
        return b.toString();
    }
}
