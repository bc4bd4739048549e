package dev.floe.operator;

/** Placeholder entry point; replaced by the operator process in the operator issue. */
public final class FloeOperator {
    public static void main(String[] args) {
        System.out.println("floe-operator");
    }
}
