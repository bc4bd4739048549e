package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.operator.testing.KubeTools;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class OperatorVersionTest {
    /** The root pom's own {@code <version>} (not a parent's or a dependency's). */
    static String projectVersion() throws Exception {
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(KubeTools.repoRoot().resolve("pom.xml").toFile())
                .getDocumentElement();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("version")) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("no <version> in the root pom.xml");
    }

    @Test
    void isTheProjectVersionWrittenByTheBuild() throws Exception {
        assertThat(OperatorVersion.current()).isEqualTo(projectVersion());
    }

    @Test
    void refusesAPropertiesFileTheBuildDidNotFilter() {
        assertThatThrownBy(() -> OperatorVersion.load(
                        new ByteArrayInputStream("version=${project.version}\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("no filtered version");
        assertThatThrownBy(() -> OperatorVersion.load(null)).hasMessageContaining("missing from the classpath");
        assertThat(OperatorVersion.load(new ByteArrayInputStream("version=1.2.3\n".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("1.2.3");
    }
}
