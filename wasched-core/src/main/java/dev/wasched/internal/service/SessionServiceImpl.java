package dev.wasched.internal.service;

import dev.wasched.NotFoundException;
import dev.wasched.WaschedException;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.internal.engine.AccountWorker;
import dev.wasched.internal.engine.Engine;
import dev.wasched.session.AccountStatus;
import dev.wasched.session.SessionService;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.TransportException;
import java.util.List;

public final class SessionServiceImpl implements SessionService {
    private final Engine engine;

    public SessionServiceImpl(Engine engine) {
        this.engine = engine;
    }

    @Override
    public List<AccountStatus> accounts() {
        return engine.workers().values().stream().map(AccountWorker::status).toList();
    }

    @Override
    public AccountStatus status(String account) {
        return worker(account).status();
    }

    private AccountWorker worker(String account) {
        AccountWorker w = engine.workers().get(account);
        if (w == null) {
            throw new NotFoundException("account", account);
        }
        return w;
    }

    private MessageTransport ownedTransport(String account) {
        MessageTransport t = worker(account).transport();
        if (t == null) {
            throw new WaschedException("account '" + account + "' is not running on this instance (owner: "
                    + worker(account).status().owner() + ")");
        }
        return t;
    }

    @Override
    public String requestPairingCode(String account, PhoneNumber phone) {
        try {
            return ownedTransport(account).requestPairingCode(phone);
        } catch (TransportException e) {
            throw new WaschedException("account '" + account + "': pairing code not available: " + e.getMessage(), e);
        }
    }

    @Override
    public void logout(String account) {
        try {
            ownedTransport(account).logout();
        } catch (TransportException e) {
            throw new WaschedException("account '" + account + "': logout failed: " + e.getMessage(), e);
        } finally {
            engine.context().store().sessions().delete(account);
        }
    }
}
