package dev.wasched.internal.service;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.inbound.InboundMessage;
import dev.wasched.inbound.InboundService;
import dev.wasched.internal.engine.EngineContext;
import java.util.Objects;
import java.util.Optional;

public final class InboundServiceImpl implements InboundService {
    private final EngineContext ctx;

    public InboundServiceImpl(EngineContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Page<InboundMessage> list(String account, String contactId, PageRequest page) {
        return ctx.store().inbound().list(account, contactId, Objects.requireNonNull(page, "page"));
    }

    @Override
    public Optional<InboundMessage> find(String account, String messageId) {
        return ctx.store().inbound().find(Objects.requireNonNull(account, "account"),
                Objects.requireNonNull(messageId, "messageId"));
    }
}
