package io.stratusmail.localcluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what the engine jars carry (classpath files, JVM flags, configuration templates) and finds
 * the Java runtime for the forked engines.
 */
final class EngineResources {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final String WATCHDOG_CLASS_FILE =
            ParentWatchdog.class.getName().replace('.', '/') + ".class";

    private EngineResources() {
    }

    private static ClassLoader loader() {
        ClassLoader loader = EngineResources.class.getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    private static URL url(String resource, String module) {
        URL url = loader().getResource(resource);
        if (url == null) {
            throw new LocalClusterException(resource + " is not on the classpath: add the dependency io.stratusmail:"
                    + module + " (built with `mvn install` of deploy/" + module + ")");
        }
        return url;
    }

    /** The text of a resource of an engine jar, UTF-8. */
    static String text(String resource, String module) {
        try (InputStream in = url(resource, module).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The lines of a flags file, without blank lines and {@code #} comments. */
    static List<String> jvmOptions(String resource, String module) {
        List<String> options = new ArrayList<>();
        for (String line : text(resource, module).split("\n")) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#")) {
                options.add(option);
            }
        }
        return options;
    }

    /**
     * The engine's runtime classpath written at build time, every entry checked to exist.
     *
     * @throws LocalClusterException naming the first missing jar
     */
    static List<Path> classpath(String resource, String module) {
        List<Path> entries = new ArrayList<>();
        for (String entry : text(resource, module).strip().split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry.strip());
            if (!Files.exists(path)) {
                throw new LocalClusterException("engine jar missing: " + path + " (listed in " + resource
                        + "); run `mvn install` in deploy/" + module + " on this machine");
            }
            entries.add(path);
        }
        return entries;
    }

    /**
     * The jar or class directory that holds a resource, e.g. the engine-opensearch jar whose main class
     * must be on the forked classpath.
     */
    static Path codeLocation(String resource, String module) {
        URL url = url(resource, module);
        try {
            switch (url.getProtocol()) {
                case "jar": {
                    String spec = url.getPath(); // file:/path/x.jar!/resource
                    return Path.of(URI.create(spec.substring(0, spec.indexOf("!/"))));
                }
                case "file": {
                    Path file = Path.of(url.toURI());
                    Path root = file;
                    for (int i = 0; i < resource.split("/").length; i++) {
                        root = root.getParent();
                    }
                    return root;
                }
                default:
                    throw new LocalClusterException("cannot locate " + module + " from " + url);
            }
        } catch (IllegalArgumentException | URISyntaxException e) {
            throw new LocalClusterException("cannot locate " + module + " from " + url, e);
        }
    }

    /**
     * Copies {@link ParentWatchdog}'s class file under {@code directory} and returns the directory, a
     * classpath root for the engines. Only that class goes onto an engine's classpath, whatever jar
     * (possibly a fat one) this launcher runs from.
     */
    static Path installWatchdog(Path directory) throws IOException {
        Path target = directory.resolve(WATCHDOG_CLASS_FILE);
        Files.createDirectories(target.getParent());
        try (InputStream in = loader().getResourceAsStream(WATCHDOG_CLASS_FILE)) {
            if (in == null) {
                throw new LocalClusterException("cannot read " + WATCHDOG_CLASS_FILE + " from the classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return directory;
    }

    /**
     * Replaces every {@code {{name}}} token. Values are escaped for single-quoted YAML scalars.
     *
     * @throws IllegalStateException if a token has no value
     */
    static String render(String template, Map<String, String> values) {
        Matcher matcher = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for template token " + matcher.group());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.replace("'", "''")));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * The {@code java} executable of a Java 17 runtime: the given home, else the running JVM's if it is
     * Java 17, else a Java 17 installed under /usr/lib/jvm. Cassandra 5.0 refuses newer runtimes (it
     * installs a security manager) and OpenSearch 2.19 runs on 17 too.
     *
     * @throws LocalClusterException if none is found
     */
    static Path java17(Optional<Path> configuredHome) {
        if (configuredHome.isPresent()) {
            Path java = configuredHome.get().resolve("bin").resolve("java");
            if (!Files.isExecutable(java)) {
                throw new LocalClusterException("no executable java at " + java);
            }
            return java;
        }
        if (Runtime.version().feature() == 17) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                Optional<Path> java = homes.sorted()
                        .filter(home -> home.getFileName().toString().matches("(java-|jdk-?|temurin-|openjdk-)?17\\b.*"
                                + "|.*-17-.*|.*-17"))
                        .map(home -> home.resolve("bin").resolve("java"))
                        .filter(Files::isExecutable)
                        .findFirst();
                if (java.isPresent()) {
                    return java.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + jvms, e);
            }
        }
        throw new LocalClusterException("Cassandra 5.0 needs a Java 17 runtime and none was found (this JVM is Java "
                + Runtime.version().feature() + "); install one or set LocalCluster.Builder.javaHome");
    }
}
