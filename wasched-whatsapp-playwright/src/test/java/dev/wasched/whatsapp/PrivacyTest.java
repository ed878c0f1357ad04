package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportEvent;
import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What leaves the transport: no message text or query in errors, states and logs; no secrets in the browser. */
@Tag("browser")
class PrivacyTest extends BrowserTestBase {

    @Test
    void afterAFailedNavigationNeitherTheTextNorAQueryIsInErrorsStatesOrLogs() throws Exception {
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("private");
        PlaywrightTransport t = linked(sim, "private", ctx, b -> b.pageTimeout(java.time.Duration.ofSeconds(5)));
        String text = "Your PIN is 4711 " + unique("secret");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // slf4j-simple, the module's test logger, writes to whatever System.err is at the time of the call.
        System.setErr(new PrintStream(new Tee(original, logs), true, StandardCharsets.UTF_8));
        Throwable failure;
        try {
            // A slow start may have passed through DISCONNECTED already: only the states from here on count.
            int earlier = ctx.states().size();
            sim.close(); // WhatsApp Web is unreachable: the click-to-chat navigation fails
            failure = catchSend(t, text);
            TestSupport.await("the transport noticed the unreachable page", () -> {
                List<AccountState> states = ctx.states();
                return states.subList(Math.min(earlier, states.size()), states.size()).contains(AccountState.DISCONNECTED);
            });
        } finally {
            System.setErr(original);
        }
        assertThat(failure).isInstanceOfAny(RetryableTransportException.class, SessionLostException.class);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        List<String> everything = new ArrayList<>();
        everything.add(trace.toString());
        everything.add(logs.toString(StandardCharsets.UTF_8));
        ctx.events(TransportEvent.StateChanged.class).forEach(e -> everything.add(String.valueOf(e.detail())));
        assertThat(everything.get(1)).as("the log was captured").contains("account private");
        for (String s : everything) {
            assertThat(s).doesNotContain(text).doesNotContain("PIN").doesNotContain("text=")
                    .doesNotContain("phone=").doesNotContain("491701234567");
        }
        assertThat(failure.getMessage()).as("the error still says what went wrong").contains("ERR_CONNECTION_REFUSED");
    }

    private static Throwable catchSend(PlaywrightTransport t, String text) {
        try {
            t.send(text(ALICE, text));
            throw new AssertionError("the send succeeded without WhatsApp Web");
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void theBrowserRunsWithoutTheProcessSecrets() throws Exception {
        Map<String, String> jvm = System.getenv();
        // Set by this module's surefire configuration, so there is something to keep away from the browser.
        assertThat(jvm).containsKeys("WASCHED_TEST_SESSION_KEY", "TEST_API_TOKEN", "TEST_DB_PASSWORD");
        WhatsAppWebSimulator sim = simulator();
        RecordingTransportContext ctx = new RecordingTransportContext("env");
        linked(sim, ctx);
        List<ProcessHandle> browsers = TestSupport.browsers(workDir);
        assertThat(browsers).isNotEmpty();
        for (ProcessHandle p : browsers) {
            Map<String, String> env = environ(p);
            if (env.isEmpty()) {
                continue; // exited meanwhile
            }
            // Debian's chromium wrapper script adds its own (public) Google API key variables; what matters is
            // that none of this process's secret-looking variables got through.
            assertThat(env).as("environment of browser process " + p.pid())
                    .doesNotContainKeys("WASCHED_TEST_SESSION_KEY", "TEST_API_TOKEN", "TEST_DB_PASSWORD");
            assertThat(env.keySet()).as("environment of browser process " + p.pid())
                    .noneMatch(n -> n.startsWith("WASCHED_"))
                    .noneMatch(n -> jvm.containsKey(n) && jvm.get(n).equals(env.get(n)) && secretLooking(n));
            assertThat(env).containsEntry("PATH", jvm.get("PATH"));
            if (jvm.containsKey("HOME")) {
                assertThat(env).containsEntry("HOME", jvm.get("HOME"));
            }
        }
        assertThat(browsers.stream().map(PrivacyTest::environ).filter(e -> !e.isEmpty())).as("read some").isNotEmpty();
    }

    private static boolean secretLooking(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        return n.contains("TOKEN") || n.contains("SECRET") || n.contains("KEY") || n.contains("PASS");
    }

    private static Map<String, String> environ(ProcessHandle p) {
        Map<String, String> env = new TreeMap<>();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
            for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return env;
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
