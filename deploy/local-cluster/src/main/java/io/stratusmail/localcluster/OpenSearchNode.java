package io.stratusmail.localcluster;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A single-node OpenSearch 2.19 cluster: engine-opensearch's main class with the module plugins,
 * {@code path.home}, data and logs under {@code <data dir>/opensearch}, behind the
 * {@link ParentWatchdog}. Ready when {@code GET /_cluster/health} answers green or yellow.
 */
final class OpenSearchNode extends EngineNode {

    static final String MODULE = "engine-opensearch";
    static final String CLASSPATH = "META-INF/stratus/opensearch.classpath";
    private static final String RESOURCES = "META-INF/stratus/opensearch/";
    private static final String MAIN_CLASS = "io.stratusmail.engine.opensearch.OpenSearchMain";
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow|red)\"");

    private final String host;
    private final int httpPort;
    private final int transportPort;
    private final int heapMiB;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    OpenSearchNode(Path directory, String host, int httpPort, int transportPort, int heapMiB) {
        super(Engine.OPENSEARCH, directory);
        this.host = host;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.heapMiB = heapMiB;
    }

    @Override
    Path mainLog() {
        return logDirectory().resolve("opensearch.log");
    }

    @Override
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("OpenSearch HTTP", httpPort);
        ports.put("OpenSearch transport", transportPort);
        return ports;
    }

    private Path config() {
        return directory().resolve("config");
    }

    @Override
    void writeConfiguration() throws IOException {
        for (String name : List.of("config", "data", "logs", "plugins", "modules")) {
            Files.createDirectories(directory().resolve(name));
        }
        Files.writeString(config().resolve("log4j2.properties"),
                EngineResources.text(RESOURCES + "log4j2.properties", MODULE), StandardCharsets.UTF_8);
    }

    @Override
    List<String> command(Path java, Path watchdogClasses, long launcherPid) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xms" + heapMiB + "m");
        command.add("-Xmx" + heapMiB + "m");
        command.addAll(EngineResources.jvmOptions(RESOURCES + "jvm.options", MODULE));
        command.add("-XX:ErrorFile=" + logDirectory().resolve("hs_err_pid%p.log"));
        command.add("-Dlog4j2.configurationFile=" + config().resolve("log4j2.properties"));
        command.add("-Dstratus.opensearch.logdir=" + logDirectory());
        command.add("-cp");
        command.add(Stream.concat(
                        Stream.of(watchdogClasses, EngineResources.codeLocation(CLASSPATH, MODULE)),
                        EngineResources.classpath(CLASSPATH, MODULE).stream())
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)));
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(launcherPid));
        command.add(MAIN_CLASS);
        command.add("path.home=" + directory());
        command.add("path.data=" + directory().resolve("data"));
        command.add("path.logs=" + logDirectory());
        command.add("network.host=" + host);
        command.add("http.port=" + httpPort);
        command.add("transport.port=" + transportPort);
        return command;
    }

    @Override
    String probe() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl().resolve("/_cluster/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Matcher status = STATUS.matcher(response.body());
        if (response.statusCode() != 200 || !status.find()) {
            throw new IOException("health answered HTTP " + response.statusCode());
        }
        if (status.group(1).equals("red")) {
            throw new IOException("cluster health is red");
        }
        return "health=" + status.group(1);
    }

    /** {@code http://host:port}, without a trailing slash. */
    URI baseUrl() {
        String literal = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + literal + ":" + httpPort);
    }
}
