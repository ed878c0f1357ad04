package dev.wasched.whatsapp.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment the browser is launched with: the JVM's, without what may be a secret. The browser runs a web
 * page's code and writes crash dumps; the host's database password or session key has no business there. Dropped:
 * every variable whose name starts with {@code WASCHED_}, or contains (in any case) {@code TOKEN}, {@code SECRET},
 * {@code KEY}, {@code PASSWORD}, {@code PASS}, {@code CREDENTIAL}, {@code PRIVATE} or {@code AUTH} (except
 * {@code XAUTHORITY}, which a browser on an X display needs), and {@code SSH_AUTH_SOCK}. Everything else stays, so
 * the browser keeps what it needs ({@code PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TZ},
 * {@code DISPLAY}, {@code WAYLAND_DISPLAY}, {@code XDG_*}, {@code DBUS_SESSION_BUS_ADDRESS}, {@code TMPDIR}, ...).
 */
public final class BrowserEnvironment {
    private static final List<String> SECRET_WORDS = List.of("TOKEN", "SECRET", "KEY", "PASSWORD", "PASS",
            "CREDENTIAL", "PRIVATE", "AUTH");
    /** Matched by a word above, but needed by a browser and no secret. */
    private static final List<String> KEPT = List.of("XAUTHORITY");

    private BrowserEnvironment() {
    }

    /** A copy of {@code env} without the variables that may hold secrets. */
    public static Map<String, String> forBrowser(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name != null && value != null && !mayBeSecret(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** Whether a variable of this name is kept from the browser. */
    public static boolean mayBeSecret(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (KEPT.contains(n)) {
            return false;
        }
        if (n.startsWith("WASCHED_")) {
            return true;
        }
        for (String word : SECRET_WORDS) {
            if (n.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
