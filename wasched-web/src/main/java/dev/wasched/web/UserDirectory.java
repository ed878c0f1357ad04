package dev.wasched.web;

import dev.wasched.ConcurrentUpdateException;
import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.ValidationException;
import dev.wasched.access.ApiKey;
import dev.wasched.access.AuditEntry;
import dev.wasched.access.Role;
import dev.wasched.access.User;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.web.internal.Argon2idPasswords;
import dev.wasched.web.internal.TimeOrderedIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Users, API keys and the audit log, kept in the wasched store. Passwords are hashed with Argon2id before they reach
 * the store; API keys are kept as their SHA-256 (they are 256 random bits, so a slow hash adds nothing). Every change
 * is written to the audit log with who made it ({@code actor}: {@code user:NAME}, {@code key:ID} or {@code cli}).
 */
public final class UserDirectory {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UserDirectory.class);
    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 1024;
    /** What every API key starts with, so a leaked one is recognisable (and can be found by secret scanners). */
    public static final String KEY_PREFIX = "wsk_";
    private static final int CAS_ATTEMPTS = 5;
    /** How long a password check waits for a free core before the sign-in is answered "busy". */
    private static final java.time.Duration HASHING_WAIT = java.time.Duration.ofSeconds(5);
    private final java.util.concurrent.Semaphore hashing =
            new java.util.concurrent.Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private final WaschedStore store;
    private final Clock clock;
    private final WebConfig config;
    private final Argon2idPasswords passwords;
    private final TimeOrderedIds ids;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the user is unknown, so a refusal takes as long either way. */
    private final String decoyHash;

    public UserDirectory(WaschedStore store, Clock clock, WebConfig config) {
        this(store, clock, config, new Argon2idPasswords());
    }

    UserDirectory(WaschedStore store, Clock clock, WebConfig config, Argon2idPasswords passwords) {
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.passwords = passwords;
        this.ids = new TimeOrderedIds(clock);
        this.decoyHash = passwords.hash("decoy password, never a user's".toCharArray());
    }

    public WebConfig config() {
        return config;
    }

    // ---- users ------------------------------------------------------------------------------------------------

    /** @throws UserExistsException when the name is taken; {@link ValidationException} for a bad name or password */
    public User addUser(String name, Role role, char[] password, String actor) {
        String n = User.checkName(name);
        if (role == null) {
            throw new ValidationException("role", "is required (VIEWER, OPERATOR or ADMIN)");
        }
        User user = User.create(n, role, hashOfPassword(checkPassword(password)), clock.instant());
        try {
            store.users().insert(user);
        } catch (DuplicateKeyException e) {
            throw new UserExistsException(n);
        }
        record(actor, "user.add", n, "role " + role);
        return user;
    }

    public User setPassword(String name, char[] password, String actor) {
        String hash = hashOfPassword(checkPassword(password));
        User changed = change(name, u -> u.withPasswordHash(hash, clock.instant()));
        record(actor, "user.password", changed.name(), "");
        return changed;
    }

    /** @throws LastAdminException when it would leave no administrator */
    public User setRole(String name, Role role, String actor) {
        if (role == null) {
            throw new ValidationException("role", "is required (VIEWER, OPERATOR or ADMIN)");
        }
        User current = user(name).orElseThrow(() -> new NotFoundException("user", name));
        if (current.role() == Role.ADMIN && role != Role.ADMIN) {
            requireAnotherAdmin(current.name());
        }
        User changed = change(name, u -> u.withRole(role, clock.instant()));
        record(actor, "user.role", changed.name(), "role " + role);
        return changed;
    }

    /** @throws LastAdminException when it would leave no administrator */
    public void removeUser(String name, String actor) {
        User current = user(name).orElseThrow(() -> new NotFoundException("user", name));
        if (current.role() == Role.ADMIN) {
            requireAnotherAdmin(current.name());
        }
        if (!store.users().delete(current.name())) {
            throw new NotFoundException("user", name);
        }
        record(actor, "user.remove", current.name(), "");
    }

    public Optional<User> user(String name) {
        return store.users().find(User.checkName(name));
    }

    public List<User> users() {
        return store.users().list();
    }

    /**
     * Checks a password. Each attempt is counted before the password is checked, so requests at the same moment each
     * use one of the {@link WebConfig#maxFailedLogins()} attempts; the attempt that uses the last one locks the user
     * out for {@link WebConfig#lockout()} unless its password is right, and while locked even the right password is
     * refused. A right password clears the count. Refusals of known users and the lock are audited.
     *
     * @throws BusyException when too many passwords are being checked at once (nothing was counted)
     */
    public SignIn signIn(String name, char[] password) {
        // Taken before the attempt is counted: a refusal for being busy checks nothing, so it must use up nothing.
        acquireHashing();
        try {
            return signInHashing(name, password);
        } finally {
            hashing.release();
        }
    }

    private SignIn signInHashing(String name, char[] password) {
        Instant now = clock.instant();
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Optional<User> found;
            try {
                found = user(name);
            } catch (ValidationException e) {
                found = Optional.empty();
            }
            if (found.isEmpty()) {
                passwords.matches(password, decoyHash); // as long as a real check
                // Logged, not audited: anyone can try names, and the audit log must not grow by it.
                String shown = String.valueOf(name).replaceAll("\\p{Cntrl}", "?");
                log.info("sign-in refused: no user '{}'", shown.length() > 64 ? shown.substring(0, 64) + "…" : shown);
                return new SignIn(SignIn.Outcome.REFUSED, Optional.empty(), null);
            }
            User u = found.get();
            if (u.lockedAt(now)) {
                passwords.matches(password, decoyHash); // not audited again: the lock was when it was set
                return new SignIn(SignIn.Outcome.LOCKED, Optional.empty(), u.lockedUntil());
            }
            User counted = u.loginFailed(now, config.maxFailedLogins(), config.lockout());
            if (!store.users().update(counted)) {
                continue; // another attempt counted first: count this one after it
            }
            if (passwords.matches(password, u.passwordHash())) {
                User signedIn = change(u.name(), x -> x.loginSucceeded(now));
                record("user:" + u.name(), "login", u.name(), "");
                return new SignIn(SignIn.Outcome.SIGNED_IN, Optional.of(signedIn), null);
            }
            if (counted.lockedAt(now)) {
                record("user:" + u.name(), "login.locked", u.name(), config.maxFailedLogins()
                        + " wrong passwords; until " + counted.lockedUntil());
                return new SignIn(SignIn.Outcome.LOCKED, Optional.empty(), counted.lockedUntil());
            }
            record("user:" + u.name(), "login.refused", u.name(), "wrong password");
            return new SignIn(SignIn.Outcome.REFUSED, Optional.empty(), null);
        }
        throw new ConcurrentUpdateException("user", name);
    }

    /** Checks a password against a hash, at most as many at once as there are cores (each takes 19 MiB). */
    private String hashOfPassword(char[] password) {
        acquireHashing();
        try {
            return passwords.hash(password);
        } finally {
            hashing.release();
        }
    }

    private void acquireHashing() {
        try {
            if (!hashing.tryAcquire(HASHING_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
    }

    private void requireAnotherAdmin(String name) {
        if (users().stream().noneMatch(u -> u.role() == Role.ADMIN && !u.name().equals(name))) {
            throw new LastAdminException(name);
        }
    }

    /** Reads, changes and writes by compare-and-set, again when another request changed the user meanwhile. */
    private User change(String name, UnaryOperator<User> change) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            User current = user(name).orElseThrow(() -> new NotFoundException("user", name));
            User next = change.apply(current);
            if (store.users().update(next)) {
                return next;
            }
        }
        throw new ConcurrentUpdateException("user", name);
    }

    /** Checks that a password is acceptable (length, not only spaces); returns it. */
    public static char[] checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new ValidationException("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            throw new ValidationException("password", "must have at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (new String(password).isBlank()) {
            throw new ValidationException("password", "must not be only spaces");
        }
        return password;
    }

    // ---- API keys ---------------------------------------------------------------------------------------------

    /** Makes a key; its secret is in the result and nowhere else. */
    public NewApiKey createKey(String name, Role role, String actor) {
        if (role == null) {
            throw new ValidationException("role", "is required (VIEWER, OPERATOR or ADMIN)");
        }
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        ApiKey key = new ApiKey(ids.next(), name == null ? null : name.trim(), role, hashOf(secret), actor,
                clock.instant(), null, 1);
        store.users().insertKey(key);
        record(actor, "key.create", key.id(), key.name() + ", role " + role);
        return new NewApiKey(key, secret);
    }

    /** Revokes a key at once; revoking a revoked one changes nothing. */
    public ApiKey revokeKey(String id, String actor) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            ApiKey k = store.users().findKey(id).orElseThrow(() -> new NotFoundException("API key", id));
            if (k.revoked()) {
                return k;
            }
            ApiKey revoked = k.revoke(clock.instant());
            if (store.users().updateKey(revoked)) {
                record(actor, "key.revoke", id, k.name());
                return revoked;
            }
        }
        throw new ConcurrentUpdateException("API key", id);
    }

    /** The key a machine presented, when it exists and is not revoked. */
    public Optional<ApiKey> keyFor(String secret) {
        if (secret == null || !secret.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        return store.users().findKeyBySecretHash(hashOf(secret)).filter(k -> !k.revoked());
    }

    /** A key by its id, revoked or not. */
    public Optional<ApiKey> key(String id) {
        return store.users().findKey(id);
    }

    public List<ApiKey> keys() {
        return store.users().listKeys();
    }

    private static String hashOf(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    // ---- audit ------------------------------------------------------------------------------------------------

    /** Appends to the audit log. */
    public void record(String actor, String action, String target, String detail) {
        store.audit().append(new AuditEntry(ids.next(), clock.instant(), actor, action, target, detail));
    }

    /** The audit log, newest first. */
    public Page<AuditEntry> audit(PageRequest page) {
        return store.audit().list(page);
    }
}
