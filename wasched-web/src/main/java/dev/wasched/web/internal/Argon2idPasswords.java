package dev.wasched.web.internal;

import java.nio.CharBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Passwords hashed with Argon2id (Bouncy Castle's implementation) and kept in the PHC string form
 * ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}), so a hash made with other costs still checks after the costs
 * change. The default costs are OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
 */
public final class Argon2idPasswords {
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 2;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int iterations;

    public Argon2idPasswords() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS);
    }

    public Argon2idPasswords(int memoryKib, int iterations) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
    }

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, 1, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(hash);
    }

    /** Whether {@code password} is the one {@code phc} was made from; false for anything that is not such a hash. */
    public boolean matches(char[] password, String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int passes = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (memory < 8 * lanes || passes < 1 || lanes < 1) {
            return false;
        }
        byte[] expected = B64_DECODE.decode(m.group(5));
        byte[] actual = derive(password, B64_DECODE.decode(m.group(4)), memory, passes, lanes, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(lanes).withSalt(salt).build());
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        try {
            byte[] out = new byte[length];
            generator.generateBytes(bytes, out);
            return out;
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (utf8.hasArray()) {
                Arrays.fill(utf8.array(), (byte) 0);
            }
        }
    }
}
