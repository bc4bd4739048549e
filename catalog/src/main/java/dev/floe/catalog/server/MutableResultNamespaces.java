package dev.floe.catalog.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;

/**
 * Hands Iceberg's response builders mutable copies of namespace lists and properties: the
 * builders probe them with {@code contains(null)}, which immutable JDK collections reject with a
 * NullPointerException.
 */
final class MutableResultNamespaces implements SupportsNamespaces {

    private final SupportsNamespaces delegate;

    MutableResultNamespaces(SupportsNamespaces delegate) {
        this.delegate = delegate;
    }

    @Override
    public void createNamespace(Namespace namespace, Map<String, String> metadata) {
        delegate.createNamespace(namespace, metadata);
    }

    @Override
    public List<Namespace> listNamespaces(Namespace namespace) {
        return new ArrayList<>(delegate.listNamespaces(namespace));
    }

    @Override
    public Map<String, String> loadNamespaceMetadata(Namespace namespace) {
        return new HashMap<>(delegate.loadNamespaceMetadata(namespace));
    }

    @Override
    public boolean dropNamespace(Namespace namespace) {
        return delegate.dropNamespace(namespace);
    }

    @Override
    public boolean setProperties(Namespace namespace, Map<String, String> properties) {
        return delegate.setProperties(namespace, properties);
    }

    @Override
    public boolean removeProperties(Namespace namespace, Set<String> properties) {
        return delegate.removeProperties(namespace, properties);
    }

    @Override
    public boolean namespaceExists(Namespace namespace) {
        return delegate.namespaceExists(namespace);
    }
}
