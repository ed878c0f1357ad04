package dev.wasched.internal.service;

import dev.wasched.NotFoundException;
import dev.wasched.WaschedException;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.internal.engine.AccountSession;
import dev.wasched.internal.engine.Engine;
import dev.wasched.session.AccountStatus;
import dev.wasched.session.SessionService;
import dev.wasched.spi.transport.TransportException;
import java.util.List;

public final class SessionServiceImpl implements SessionService {
    private final Engine engine;

    public SessionServiceImpl(Engine engine) {
        this.engine = engine;
    }

    @Override
    public List<AccountStatus> accounts() {
        return engine.sessions().values().stream().map(AccountSession::status).toList();
    }

    @Override
    public AccountStatus status(String account) {
        return session(account).status();
    }

    private AccountSession session(String account) {
        AccountSession s = engine.sessions().get(account);
        if (s == null) {
            throw new NotFoundException("account", account);
        }
        return s;
    }

    private AccountSession owned(String account) {
        AccountSession s = session(account);
        if (s.transport() == null) {
            throw new WaschedException("account '" + account + "' is not running on this instance (owner: "
                    + s.status().owner() + ")");
        }
        return s;
    }

    @Override
    public String requestPairingCode(String account, PhoneNumber phone) {
        try {
            return owned(account).withTransport(t -> t.requestPairingCode(phone));
        } catch (TransportException e) {
            throw new WaschedException("account '" + account + "': pairing code not available: " + e.getMessage(), e);
        }
    }

    @Override
    public void logout(String account) {
        try {
            owned(account).withTransport(t -> {
                t.logout();
                return null;
            });
        } catch (TransportException e) {
            throw new WaschedException("account '" + account + "': logout failed: " + e.getMessage(), e);
        } finally {
            engine.context().store().sessions().delete(account);
        }
    }
}
