package dev.wasched.internal.service;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactService;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.DuplicateContactException;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.verify.VerifyJob;
import dev.wasched.contact.verify.VerifyOptions;
import dev.wasched.internal.engine.AccountSession;
import dev.wasched.internal.engine.Engine;
import dev.wasched.internal.engine.EngineContext;
import dev.wasched.internal.imports.ContactImporterImpl;
import dev.wasched.internal.imports.ImportJobImpl;
import dev.wasched.internal.jobs.JobRunner;
import dev.wasched.internal.verify.VerifyJobImpl;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

public final class ContactServiceImpl implements ContactService {
    private final EngineContext ctx;
    private final ContactRepository repo;
    private final DeliveryCancellation cancellation;
    private final Engine engine;
    private final JobRunner jobs = new JobRunner();

    /** @param engine gives registration checks the accounts' transports and ends the jobs when it closes */
    public ContactServiceImpl(EngineContext ctx, DeliveryCancellation cancellation, Engine engine) {
        this.ctx = ctx;
        this.repo = ctx.store().contacts();
        this.cancellation = cancellation;
        this.engine = engine;
        engine.onClose(() -> jobs.close(ctx.config().shutdownTimeout()));
    }

    private PhoneNumber parse(String phone) {
        return PhoneNumber.parse(phone, ctx.config().defaultRegion());
    }

    @Override
    public Contact create(ContactSpec spec) {
        PhoneNumber phone = parse(spec.phone());
        if (repo.findByPhone(phone.e164()).isPresent()) {
            throw new DuplicateContactException(phone.e164());
        }
        Instant now = ctx.now();
        Contact c = new Contact(ctx.ids().next(), spec.displayName(), phone, spec.tags(), spec.fields(), false,
                Registration.UNKNOWN, spec.zone(), now, now, 1);
        try {
            repo.insert(c);
        } catch (DuplicateKeyException e) {
            throw new DuplicateContactException(phone.e164());
        }
        return c;
    }

    @Override
    public Contact update(String id, ContactSpec spec) {
        PhoneNumber phone = parse(spec.phone());
        repo.findByPhone(phone.e164()).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new DuplicateContactException(phone.e164());
        });
        try {
            return Retries.casLoop("contact", id, () -> get(id), c -> c.withSpec(spec, phone, ctx.now()), repo::update);
        } catch (DuplicateKeyException e) {
            throw new DuplicateContactException(phone.e164());
        }
    }

    @Override
    public Contact get(String id) {
        return Retries.orNotFound(id == null ? Optional.empty() : repo.findById(id), "contact", id);
    }

    @Override
    public Optional<Contact> findByPhone(String phone) {
        return repo.findByPhone(parse(phone).e164());
    }

    @Override
    public void delete(String id) {
        get(id);
        cancellation.forContact(id, "contact deleted");
        repo.delete(id);
    }

    @Override
    public Page<Contact> list(PageRequest page) {
        return repo.list(page);
    }

    @Override
    public Page<Contact> withTag(String tag, PageRequest page) {
        return repo.findByTag(ContactSpec.normalizeTag(tag), page);
    }

    @Override
    public Page<Contact> search(String text, PageRequest page) {
        if (text == null || text.isBlank() || text.length() > 100) {
            throw new dev.wasched.ValidationException("search", "needs 1 to 100 characters");
        }
        return repo.search(text.strip(), page);
    }

    @Override
    public Contact optOut(String id) {
        return optOut(id, "contact opted out");
    }

    /** Opts the contact out, cancelling what is pending for it with {@code reason}. */
    public Contact optOut(String id, String reason) {
        Contact c = Retries.casLoop("contact", id, () -> get(id), x -> x.withOptedOut(true, ctx.now()), repo::update);
        cancellation.forContact(id, reason);
        return c;
    }

    @Override
    public Contact optIn(String id) {
        return Retries.casLoop("contact", id, () -> get(id), x -> x.withOptedOut(false, ctx.now()), repo::update);
    }

    @Override
    public long count() {
        return repo.count();
    }

    // ---- background jobs: imports and registration checks ---------------------------------------------------------

    @Override
    public ContactImporter importer() {
        return new ContactImporterImpl(ctx.config().defaultRegion(), request -> jobs.submit(new ImportJobImpl(
                ctx.ids().next(), request, repo, ctx.ids()::next, ctx.clock())));
    }

    @Override
    public Optional<ImportJob> importJob(String id) {
        return jobs.find(id, ImportJob.class);
    }

    @Override
    public List<ImportJob> importJobs() {
        return jobs.list(ImportJob.class);
    }

    @Override
    public VerifyJob verify(VerifyOptions options) {
        Objects.requireNonNull(options, "options");
        Map<String, AccountSession> sessions = engine.sessions();
        String account = options.account();
        if (account == null) {
            if (sessions.size() != 1) {
                throw new ValidationException("account", sessions.isEmpty() ? "no WhatsApp account is configured"
                        : "is required when several accounts are configured " + sessions.keySet());
            }
            account = sessions.keySet().iterator().next();
        }
        AccountSession session = sessions.get(account);
        if (session == null) {
            throw new NotFoundException("account", account);
        }
        return jobs.submit(new VerifyJobImpl(ctx.ids().next(), options, session, ctx));
    }

    @Override
    public Optional<VerifyJob> verifyJob(String id) {
        return jobs.find(id, VerifyJob.class);
    }

    @Override
    public List<VerifyJob> verifyJobs() {
        return jobs.list(VerifyJob.class);
    }
}
