#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How fast the CPU the grader runs on is right now, against the course's reference machine.
///
/// Training budgets are CPU time, which a busy machine does not steal but does stretch: a core shared
/// with a neighbour (another grading job, another virtual machine on the host) or clocked down does less
/// work per CPU second, so a correct `train()` would finish fewer epochs and score less on the same code.
/// The probe runs a fixed workload of the kinds training is made of (a cache-resident matrix product, a
/// 3 × 3 convolution over a batch of small images, a pass over a buffer larger than the caches, all in
/// Double) and times it in CPU time of the calling thread; its `slowdown` is that time over the time the
/// same workload takes on the course's reference machine. A training case's budget is the spec's seconds
/// at the reference speed times the slowdown measured just before the call, so the same code does the
/// same work, and earns the same credit, on an idle or a loaded machine, a fast or a slow one.
///
/// The workload is optimised in every build configuration (as submissions are), so a debug build of the
/// grader measures the same speed as a release build.
public enum SpeedProbe {
    /// CPU seconds one run of the workload takes on the course's reference machine: the 2-core machine
    /// whose figures README quotes (the reference MLP's MNIST epoch in 0.73 s), where practicals 2 and 3's
    /// training thresholds were calibrated. Measured back from a slower state of that machine: the probe
    /// took 0.024 s there, and the reference CNN reproduced its calibration median (94.7% held-out
    /// accuracy in 10 s) when given twice the CPU time (`grade-bench reference-training --slowdown 2`).
    public static let referenceSeconds = 0.012

    /// The slowdowns outside which a machine cannot grade training fairly: a probe more than ten times
    /// slower than the reference, or faster by as much, says the machine is overloaded or the probe itself
    /// is wrong, not that the budget should stretch that far. (A virtual machine whose host caps its CPU
    /// counts the time it is held back as its threads' CPU time: the development machine measured 2–3.3×
    /// idle and up to 5.8× with every core busy, and budgets stretched by those figures graded the same.)
    public static let plausibleSlowdowns = 0.1...10.0

    /// The CPU time of the calling thread, in seconds.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The machine's slowdown against the reference: the median of `runs` runs of the workload over
    /// `referenceSeconds` (1 on the reference machine, 2 where the same work takes twice the CPU time),
    /// after one untimed run that brings the buffers into memory.
    public static func slowdown(runs: Int = 5) -> Double {
        median(workloadSeconds(runs: runs)) / referenceSeconds
    }

    /// The CPU seconds each of `runs` runs of the workload took on this thread, after one untimed run.
    public static func workloadSeconds(runs: Int) -> [Double] {
        var workload = Workload()
        keep(workload.run())
        return (0..<max(runs, 1)).map { _ in
            let start = threadCPUSeconds()
            let checksum = workload.run()
            let seconds = threadCPUSeconds() - start
            keep(checksum)
            return seconds
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Keeps a result alive so that the optimiser cannot drop the work that made it.
    @inline(never)
    static func keep(_ value: Double) {
        if value.isNaN { print("", terminator: "") }
    }

    /// The probe's buffers, filled with fixed values.
    struct Workload {
        /// Matrix product operands and result (side × side).
        static let side = 96
        /// A batch of single-channel images convolved by `filters` 3 × 3 kernels.
        static let images = 16, imageSide = 28, filters = 8
        /// The streamed buffer's length: 16 MiB of Double, four times the L2 cache of common cores.
        static let streamLength = 2 << 20

        var a: [Double], b: [Double], c: [Double]
        var pixels: [Double], kernels: [Double], features: [Double]
        var stream: [Double]

        init() {
            func filled(_ count: Int, _ scale: Double) -> [Double] {
                (0..<count).map { Double(($0 &* 2_654_435_761) % 1000) * scale / 1000 - scale / 2 }
            }
            let n = Self.side, s = Self.imageSide
            a = filled(n * n, 1); b = filled(n * n, 2); c = [Double](repeating: 0, count: n * n)
            pixels = filled(Self.images * s * s, 1); kernels = filled(Self.filters * 9, 0.5)
            features = [Double](repeating: 0, count: Self.images * Self.filters * (s - 2) * (s - 2))
            stream = filled(Self.streamLength, 1)
        }

        /// Runs every part once and returns a checksum of the results.
        mutating func run() -> Double {
            var checksum = 0.0
            for _ in 0..<24 { checksum += matrixProduct() }
            for _ in 0..<12 { checksum += convolution() }
            for _ in 0..<12 { checksum += streamPass() }
            return checksum
        }

        /// C = A · B by rows of B (i-k-j order), as a plain Swift matrix product is written.
        mutating func matrixProduct() -> Double {
            let n = Self.side
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        for i in 0..<n {
                            for j in 0..<n { c[i * n + j] = 0 }
                            for k in 0..<n {
                                let aik = a[i * n + k]
                                for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
                            }
                        }
                    }
                }
            }
            return c[n * n / 2]
        }

        /// A valid 3 × 3 cross-correlation of every image with every kernel, then ReLU.
        mutating func convolution() -> Double {
            let s = Self.imageSide, o = s - 2
            pixels.withUnsafeBufferPointer { x in
                kernels.withUnsafeBufferPointer { w in
                    features.withUnsafeMutableBufferPointer { y in
                        for image in 0..<Self.images {
                            for filter in 0..<Self.filters {
                                let out = (image * Self.filters + filter) * o * o
                                for i in 0..<o {
                                    for j in 0..<o {
                                        var sum = 0.0
                                        for p in 0..<3 {
                                            for q in 0..<3 { sum += w[filter * 9 + p * 3 + q] * x[image * s * s + (i + p) * s + j + q] }
                                        }
                                        y[out + i * o + j] = max(sum, 0)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return features[features.count / 3]
        }

        /// x ← 0.999 x + 10⁻³ over the whole buffer, and its sum: memory traffic beyond the caches.
        mutating func streamPass() -> Double {
            stream.withUnsafeMutableBufferPointer { x in
                var sum = 0.0
                for index in x.indices {
                    x[index] = 0.999 * x[index] + 1e-3
                    sum += x[index]
                }
                return sum
            }
        }
    }
}
