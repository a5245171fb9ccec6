package io.stratusmail.mailbox.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The example messages of mime4j's own test suite (artifact {@code apache-mime4j-core:tests}, on the test
 * classpath): real-world and deliberately broken messages from mime4j and Perl's MIME-tools, each with the
 * {@code .xml} transcript mime4j's parser must produce.
 */
final class CorpusMessages {

    private static final List<String> FOLDERS = List.of("testmsgs/", "mimetools-testmsgs/");
    private static List<Sample> all;

    /** One corpus message: file name, octets, mime4j's expected transcript. */
    record Sample(String name, byte[] content, String transcript) {
        @Override
        public String toString() {
            return name;
        }
    }

    private CorpusMessages() {
    }

    static synchronized List<Sample> all() {
        if (all == null) {
            all = load();
        }
        return all;
    }

    static Sample get(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no corpus message " + name));
    }

    private static List<Sample> load() {
        URL folder = CorpusMessages.class.getClassLoader().getResource(FOLDERS.get(0));
        if (folder == null || !"jar".equals(folder.getProtocol())) {
            throw new IllegalStateException("mime4j test corpus jar not on the test classpath");
        }
        List<Sample> samples = new ArrayList<>();
        try {
            JarURLConnection connection = (JarURLConnection) folder.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    String path = entry.getName();
                    if (FOLDERS.stream().anyMatch(path::startsWith) && path.endsWith(".msg")) {
                        byte[] content = read(jar, path);
                        String xml = new String(read(jar, path.replaceAll("\\.msg$", ".xml")),
                                StandardCharsets.ISO_8859_1);
                        samples.add(new Sample(path.substring(path.indexOf('/') + 1), content, xml));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        samples.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(samples);
    }

    private static byte[] read(JarFile jar, String path) throws IOException {
        JarEntry entry = jar.getJarEntry(path);
        if (entry == null) {
            throw new IOException("missing " + path);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
