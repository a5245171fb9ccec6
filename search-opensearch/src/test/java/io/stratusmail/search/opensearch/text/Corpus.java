package io.stratusmail.search.opensearch.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Real messages of mime4j's test corpus (the {@code apache-mime4j-core:tests} jar on the test classpath). */
public final class Corpus {

    private Corpus() {
    }

    /**
     * The octets of one corpus message.
     *
     * @param path e.g. {@code mimetools-testmsgs/german-qp.msg}
     */
    public static byte[] message(String path) {
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus message " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The paths of every {@code .msg} file of the corpus, sorted. */
    public static List<String> allMessages() {
        URL anchor = Corpus.class.getClassLoader().getResource("mimetools-testmsgs/simple.msg");
        if (anchor == null) {
            throw new IllegalStateException("the mime4j test corpus is not on the test classpath");
        }
        try (FileSystem jar = FileSystems.newFileSystem(anchor.toURI(), Map.of())) {
            try (Stream<Path> files = Stream.concat(
                    Files.list(jar.getPath("/mimetools-testmsgs")), Files.list(jar.getPath("/testmsgs")))) {
                return files.map(p -> p.toString().substring(1))
                        .filter(p -> p.endsWith(".msg"))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
