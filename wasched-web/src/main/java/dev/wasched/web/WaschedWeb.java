package dev.wasched.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.wasched.Wasched;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.web.internal.AccessRoutes;
import dev.wasched.web.internal.ConsoleRoutes;
import dev.wasched.web.internal.DomainRoutes;
import dev.wasched.web.internal.LiveEvents;
import dev.wasched.web.internal.Principals;
import dev.wasched.web.internal.SessionRoutes;
import dev.wasched.web.internal.UploadRoutes;
import dev.wasched.web.internal.ApiServlet;
import dev.wasched.web.internal.Route;
import dev.wasched.web.internal.SystemRoutes;
import dev.wasched.web.internal.WebSessions;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * wasched's HTTP API as one Jakarta servlet, for a host to mount in its own container:
 *
 * <pre>{@code
 * WaschedWeb web = WaschedWeb.builder().wasched(wasched).store(store).build();
 * context.addServlet(new ServletHolder(web.servlet()), "/wasched/*");   // the API is then at /wasched/api/v1
 * }</pre>
 *
 * Callers sign in ({@code POST /api/v1/session}) and get an HttpOnly session cookie and a CSRF token to repeat in
 * {@code X-CSRF-Token} on every change, or present an API key ({@code Authorization: Bearer KEY}). The OpenAPI document
 * is at {@code /api/v1/openapi.json}. Make the first administrator with {@link UserDirectory#addUser} (the example
 * CLI's {@code user add}). Build it before {@code wasched.start()}: it learns of login QR codes from wasched's events,
 * so one shown before it listened is served from its next rotation on.
 */
public final class WaschedWeb implements AutoCloseable {
    /** Where the API is below the servlet's mapping. */
    public static final String API = "/api/v1";

    private final UserDirectory users;
    private final ApiServlet servlet;
    private final Wasched wasched;
    private final LiveEvents live;

    private WaschedWeb(Builder b) {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        this.wasched = b.wasched;
        this.users = new UserDirectory(b.store, b.clock, b.config);

        WebSessions sessions = new WebSessions(b.clock, b.config.sessionIdle());
        Principals principals = new Principals(users, sessions);
        this.live = new LiveEvents(json, principals::current, b.config.eventsKeepAlive());
        b.wasched.addListener(live);
        List<Route> routes = new ArrayList<>();
        new AccessRoutes(users, sessions).routes().forEach(r -> routes.add(under(r)));
        new SystemRoutes(b.wasched, json).routes().forEach(r -> routes.add(under(r)));
        new DomainRoutes(b.wasched, json, b.clock).routes().forEach(r -> routes.add(under(r)));
        new UploadRoutes(b.wasched, live).routes().forEach(r -> routes.add(under(r)));
        new SessionRoutes(b.wasched, live).routes().forEach(r -> routes.add(under(r)));
        routes.addAll(new ConsoleRoutes().routes());
        this.servlet = new ApiServlet(routes, users, principals, json);
    }

    private static Route under(Route r) {
        return r.under(API);
    }

    /** Ends the live event streams and stops listening to wasched (the host stops its container). */
    @Override
    public void close() {
        wasched.removeListener(live);
        live.close();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The servlet; map it to a prefix ending in {@code /*}, async-supported (the live events at
     * {@code /api/v1/events} stay open).
     */
    public HttpServlet servlet() {
        return servlet;
    }

    /** Users, API keys and the audit log. */
    public UserDirectory users() {
        return users;
    }

    /** Every operation of the API, {@code METHOD /api/v1/path}, sorted (the console's files left out). */
    public List<String> operations() {
        return servlet.operations().stream().filter(o -> o.contains(" " + API + "/")).toList();
    }

    public static final class Builder {
        private Wasched wasched;
        private WaschedStore store;
        private Clock clock = Clock.systemUTC();
        private WebConfig config = WebConfig.DEFAULT;

        private Builder() {
        }

        /** The running wasched the API works on. */
        public Builder wasched(Wasched wasched) {
            this.wasched = wasched;
            return this;
        }

        /** The store wasched was built with: users, keys and the audit log are kept there too. */
        public Builder store(WaschedStore store) {
            this.store = store;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder config(WebConfig config) {
            this.config = config;
            return this;
        }

        public WaschedWeb build() {
            Objects.requireNonNull(wasched, "wasched");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(config, "config");
            return new WaschedWeb(this);
        }
    }
}
