package dev.wasched.web.internal;

import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** WhatsApp sessions: who runs each account in which state, the login QR code, a pairing code, logout; live events. */
public final class SessionRoutes {
    private final Wasched wasched;
    private final LiveEvents live;

    public SessionRoutes(Wasched wasched, LiveEvents live) {
        this.wasched = wasched;
        this.live = live;
    }

    public List<Route> routes() {
        return List.of(
                Route.read("/sessions", Role.VIEWER, c -> Reply.ok(Map.of("items",
                        wasched.sessions().accounts().stream().map(SessionRoutes::view).toList()))),
                Route.read("/sessions/{account}", Role.VIEWER, c -> Reply.ok(view(wasched.sessions().status(
                        c.param("account"))))),
                // Whoever sees the code can link a device to the account: operators and above.
                Route.read("/sessions/{account}/qr.svg", Role.OPERATOR, c -> Reply.ok(new TextStream("image/svg+xml",
                        out -> out.write(qr(c).svg())))),
                Route.read("/sessions/{account}/qr.png", Role.OPERATOR, c -> Reply.ok(
                        new BinaryBody("image/png", qr(c).png()))),
                Route.change("POST", "/sessions/{account}/pairing-code", Role.OPERATOR, "session.pairingCode", c -> {
                    String phone = RequestBodies.text(c.body(), "phone", true);
                    String code = wasched.sessions().requestPairingCode(c.param("account"),
                            PhoneNumber.parse(phone, wasched.config().defaultRegion()));
                    return Reply.ok(Map.of("account", c.param("account"), "code", code));
                }),
                Route.change("POST", "/sessions/{account}/logout", Role.ADMIN, "session.logout", c -> {
                    wasched.sessions().logout(c.param("account"));
                    return Reply.ok(view(wasched.sessions().status(c.param("account"))));
                }),
                Route.read("/events", Role.VIEWER, c -> {
                    if (!c.request().isAsyncSupported()) {
                        throw new ApiError(501, "not_async", "mark the servlet async-supported in the container to"
                                + " serve live events (ServletHolder.setAsyncSupported(true), or"
                                + " <async-supported>true</async-supported>)");
                    }
                    live.add(c.request().startAsync(), c.principal());
                    return Reply.STARTED;
                }));
    }

    private QrImage qr(Call c) {
        return QrImage.of(live.latestQr(c.param("account")).orElseThrow(() -> new ApiError(404, "not_found",
                "account " + c.param("account") + " shows no login QR code now")));
    }

    static Map<String, Object> view(AccountStatus s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", s.account());
        out.put("state", s.state().name());
        out.put("owner", s.owner());
        out.put("since", s.since());
        out.put("detail", s.detail());
        return out;
    }
}
