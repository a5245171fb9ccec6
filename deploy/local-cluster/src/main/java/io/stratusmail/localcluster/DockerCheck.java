package io.stratusmail.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per JVM whether {@link TestCluster} uses Docker containers. Cheap checks come first
 * (Testcontainers on the classpath, a Docker endpoint configured or a socket present) so that a machine
 * without a Docker engine answers in microseconds and without Testcontainers' error logging.
 */
final class DockerCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DockerCheck.class);
    private static Boolean useDocker;

    private DockerCheck() {
    }

    static synchronized boolean useDocker() {
        if (useDocker == null) {
            useDocker = decide();
            LOG.info("event=test_cluster_source docker={}", useDocker);
        }
        return useDocker;
    }

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getenv("STRATUS_TEST_DOCKER"))) {
            return false;
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        return configured && DockerEngines.dockerAvailable();
    }
}
