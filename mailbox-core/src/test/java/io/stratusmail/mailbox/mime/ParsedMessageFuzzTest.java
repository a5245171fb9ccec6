package io.stratusmail.mailbox.mime;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.stratusmail.mailbox.mime.CorpusMessages.Sample;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random damage to real messages (seeded, so a failure reproduces): parsing never throws and every
 * {@link Invariants invariant} still holds.
 */
class ParsedMessageFuzzTest {

    private static final int MUTANTS_PER_MESSAGE = 40;
    private static final List<byte[]> SNIPPETS = Stream.of("\r\n", "\n", "\r", "--", "\r\n\r\n", "\n\n", ":", ";",
                    "\"", "(", ")", "<", ">", "@", ",", "=?", "?=", "\\", " ", "\t", "\r\n ",
                    "Content-Type: multipart/mixed; boundary=x\r\n", "\r\n--x\r\n", "\r\n--x--\r\n",
                    "Content-Type: message/rfc822\r\n\r\n", "Content-Type: multipart/digest; boundary=\"x\"\n\n--x\n",
                    "Content-Transfer-Encoding: base64\r\n", "From: a:b,c;\r\n", "\u00e9\u00ff", "\u0000")
            .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();

    static Stream<Sample> corpus() {
        return CorpusMessages.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mutatedCorpusMessagesNeverBreakTheParser(Sample sample) {
        Random random = new Random(sample.name().hashCode());
        for (int i = 0; i < MUTANTS_PER_MESSAGE; i++) {
            byte[] mutant = sample.content();
            int mutations = 1 + random.nextInt(5);
            for (int j = 0; j < mutations; j++) {
                mutant = mutate(mutant, random);
            }
            byte[] input = mutant;
            assertThatCode(() -> Invariants.check(input)).as("%s mutant %d", sample.name(), i)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void randomOctetsNeverBreakTheParser() {
        Random random = new Random(20240601);
        byte[] alphabet = "ab:; \t\r\n\r\n--=?\"<>@,()\\".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 500; i++) {
            byte[] input = new byte[random.nextInt(3000)];
            for (int j = 0; j < input.length; j++) {
                input[j] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            int seed = i;
            assertThatCode(() -> Invariants.check(input)).as("random input %d", seed).doesNotThrowAnyException();
        }
    }

    static byte[] mutate(byte[] in, Random random) {
        if (in.length == 0) {
            return SNIPPETS.get(random.nextInt(SNIPPETS.size()));
        }
        int at = random.nextInt(in.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
        switch (random.nextInt(6)) {
            case 0 -> { // change one octet
                byte[] copy = in.clone();
                copy[at] = (byte) random.nextInt(256);
                return copy;
            }
            case 1 -> { // delete a range
                int length = Math.min(in.length - at, 1 + random.nextInt(200));
                out.write(in, 0, at);
                out.write(in, at + length, in.length - at - length);
            }
            case 2 -> { // duplicate a range somewhere else
                int length = Math.min(in.length - at, 1 + random.nextInt(500));
                int to = random.nextInt(in.length);
                out.write(in, 0, to);
                out.write(in, at, length);
                out.write(in, to, in.length - to);
            }
            case 3 -> { // insert syntax
                out.write(in, 0, at);
                out.writeBytes(SNIPPETS.get(random.nextInt(SNIPPETS.size())));
                out.write(in, at, in.length - at);
            }
            case 4 -> out.write(in, 0, at); // truncate
            default -> { // CRLF to bare LF
                for (int i = 0; i < in.length; i++) {
                    if (!(in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n')) {
                        out.write(in[i]);
                    }
                }
            }
        }
        return out.toByteArray();
    }
}
