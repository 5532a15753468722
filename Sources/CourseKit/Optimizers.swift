/// An optimiser with its hyper-parameters, exactly as the course defines it (lecture 2).
///
/// With θ the parameters, g = ∇L(θ) the gradient, η the learning rate and t the step number (from 1):
///
/// | optimiser | update |
/// |---|---|
/// | sgd | θ ← θ − η g |
/// | momentum | v ← β v + (1 − β) g;  θ ← θ − η v |
/// | nesterov | g = ∇L(θ − η β v) (the look-ahead point);  v ← β v + (1 − β) g;  θ ← θ − η v |
/// | adagrad | G ← G + g²;  θ ← θ − η g / (√G + ε) |
/// | rmsprop | E ← β E + (1 − β) g²;  θ ← θ − η g / (√E + ε) |
/// | adam | m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√v̂ + ε) |
///
/// Squares, square roots and divisions are elementwise; every state starts at zero.
///
/// This is not PyTorch's convention for momentum: `torch.optim.SGD(momentum=β)` computes
/// v ← β v + g, θ ← θ − lr v, which equals the course's rule when lr = η (1 − β) (with v₀ = 0).
/// PyTorch's Nesterov variant tracks the course's look-ahead points θ − η β v rather than θ itself.
/// PyTorch's Adagrad, RMSprop and Adam match the formulas above.
public enum Optimizer: Sendable, Hashable, Codable {
    /// Plain stochastic gradient descent.
    case sgd(learningRate: Double)
    /// Momentum as an exponential average of gradients.
    case momentum(learningRate: Double, beta: Double)
    /// Momentum with the gradient taken at the look-ahead point.
    case nesterov(learningRate: Double, beta: Double)
    /// Per-coordinate steps scaled by the accumulated squared gradients.
    case adagrad(learningRate: Double, epsilon: Double)
    /// Per-coordinate steps scaled by an exponential average of squared gradients.
    case rmsprop(learningRate: Double, beta: Double, epsilon: Double)
    /// Adam, with bias correction.
    case adam(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double)
}

/// An optimiser's state between steps, explicit so that a step is a pure function.
public struct OptimizerState: Sendable, Hashable, Codable {
    /// v: momentum's and Nesterov's velocity.
    public var velocity: Vector
    /// G (AdaGrad's sum) or E (RMSProp's average) of squared gradients.
    public var squaredGradients: Vector
    /// m: Adam's first moment.
    public var firstMoment: Vector
    /// v: Adam's second moment.
    public var secondMoment: Vector
    /// The number of steps taken so far (t − 1 before the step).
    public var step: Int

    /// The zero state for `dimension` parameters.
    public init(dimension: Int) {
        velocity = .zeros(dimension)
        squaredGradients = .zeros(dimension)
        firstMoment = .zeros(dimension)
        secondMoment = .zeros(dimension)
        step = 0
    }
}
