//! A small layered (Sugiyama-style) layout for drawing a directed acyclic graph from its
//! inputs to its output: pure geometry, in layout units, for the computational graph chart.
//!
//! No layout library fits the wasm builds (dagre and ELK are JavaScript, the Rust crates pull in
//! a graph library of their own and cost more than this whole chart), and a formula's graph is
//! small, so this is the textbook recipe done plainly:
//!
//! 1. layers: longest path from the inputs, then every node not pinned (a constant, an
//!    intermediate) moves as late as its users allow, so its edges stay short;
//! 2. an edge that spans several layers passes through a bend point in each layer between;
//! 3. the order within each layer: a few barycenter sweeps down and up, keeping the order with
//!    the fewest crossings;
//! 4. positions across each layer: each node pulled towards the mean of its neighbours, nodes
//!    kept at least one unit apart (bend points half a unit).
//!
//! ```ignore
//! // x (pinned), then 2, then x * 2, then sin of that: three layers.
//! let layout = layered(&[vec![], vec![], vec![0, 1], vec![2]], &[true, false, false, false]);
//! assert_eq!(layout.layers, 3);
//! ```

/// Where a node sits: its layer (0 = the inputs) and its position across the layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub layer: usize,
    pub across: f64,
}

/// One edge, from an input to the node that reads it, through its bend points: every point
/// is `(layer, across)`, the first the input's, the last the user's.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub from: usize,
    pub to: usize,
    /// Which of `to`'s inputs this edge is (x·x reads x twice: two routes).
    pub slot: usize,
    pub points: Vec<(f64, f64)>,
}

/// A layered drawing of a graph: places of its nodes and routes of its edges.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub layers: usize,
    /// The span of positions across the layers (they run from 0 to `breadth`).
    pub breadth: f64,
    pub nodes: Vec<Place>,
    pub routes: Vec<Route>,
}

/// Barycenter sweeps (each one down and one up): enough for a formula's graph to settle.
const SWEEPS: usize = 4;
/// Rounds of pulling positions towards the neighbours' mean.
const ROUNDS: usize = 6;
/// The room a bend point takes across its layer, against a node's 1.
const BEND_GAP: f64 = 0.5;

/// A node of the layered graph: a real node, or a bend point of a long edge.
struct Vertex {
    layer: usize,
    up: Vec<usize>,
    down: Vec<usize>,
    bend: bool,
}

/// Lays out the graph whose node `v` reads the nodes `inputs[v]` (each an earlier node, so the
/// list is in topological order). A `pinned` node with no inputs stays in the first layer.
pub fn layered(inputs: &[Vec<usize>], pinned: &[bool]) -> Layout {
    let n = inputs.len();
    if n == 0 {
        return Layout::default();
    }
    let layer = layers(inputs, pinned);
    let (mut vertices, chains) = with_bends(inputs, &layer);
    let layers = layer.iter().max().map_or(1, |m| m + 1);
    let order = ordered(&vertices, layers);
    let across = positions(&mut vertices, &order);
    let low = across.iter().copied().fold(f64::INFINITY, f64::min);
    let high = across.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let at = |v: usize| {
        let place = vertices.get(v).map_or(0, |x| x.layer);
        (place as f64, across.get(v).copied().unwrap_or(0.0) - low)
    };
    let nodes = (0..n)
        .map(|v| Place {
            layer: layer.get(v).copied().unwrap_or(0),
            across: at(v).1,
        })
        .collect();
    let routes = chains
        .into_iter()
        .map(|(from, to, slot, bends)| Route {
            from,
            to,
            slot,
            points: std::iter::once(from)
                .chain(bends)
                .chain(std::iter::once(to))
                .map(at)
                .collect(),
        })
        .collect();
    Layout {
        layers,
        breadth: (high - low).max(0.0),
        nodes,
        routes,
    }
}

/// Longest path from the inputs; then, from the output back, every node that is not a pinned
/// input moves to one layer before its earliest user.
fn layers(inputs: &[Vec<usize>], pinned: &[bool]) -> Vec<usize> {
    let n = inputs.len();
    let mut layer = vec![0usize; n];
    for v in 0..n {
        let deepest = inputs[v].iter().filter_map(|&u| layer.get(u)).max();
        layer[v] = deepest.map_or(0, |d| d + 1);
    }
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, args) in inputs.iter().enumerate() {
        for &u in args {
            if let Some(list) = users.get_mut(u) {
                list.push(v);
            }
        }
    }
    for v in (0..n).rev() {
        let is_pinned = pinned.get(v).copied().unwrap_or(false) && inputs[v].is_empty();
        let earliest = users[v].iter().filter_map(|&w| layer.get(w)).min();
        if let (false, Some(&e)) = (is_pinned, earliest) {
            layer[v] = layer[v].max(e.saturating_sub(1));
        }
    }
    layer
}

type Chain = (usize, usize, usize, Vec<usize>);

/// The graph with a bend vertex in every layer a long edge crosses; and each edge as
/// (from, to, slot, its bend vertices from the input's end).
fn with_bends(inputs: &[Vec<usize>], layer: &[usize]) -> (Vec<Vertex>, Vec<Chain>) {
    let mut vertices: Vec<Vertex> = layer
        .iter()
        .map(|&l| Vertex {
            layer: l,
            up: Vec::new(),
            down: Vec::new(),
            bend: false,
        })
        .collect();
    let mut chains = Vec::new();
    for (to, args) in inputs.iter().enumerate() {
        for (slot, &from) in args.iter().enumerate() {
            let (lo, hi) = (layer.get(from).copied().unwrap_or(0), layer[to]);
            let mut bends = Vec::new();
            let mut previous = from;
            for l in lo + 1..hi {
                let id = vertices.len();
                vertices.push(Vertex {
                    layer: l,
                    up: vec![previous],
                    down: Vec::new(),
                    bend: true,
                });
                vertices[previous].down.push(id);
                bends.push(id);
                previous = id;
            }
            vertices[previous].down.push(to);
            vertices[to].up.push(previous);
            chains.push((from, to, slot, bends));
        }
    }
    (vertices, chains)
}

/// Each layer's vertices in order, from barycenter sweeps: the order met with the fewest
/// crossings.
fn ordered(vertices: &[Vertex], layers: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (v, vertex) in vertices.iter().enumerate() {
        order[vertex.layer].push(v);
    }
    let mut best = order.clone();
    let mut fewest = crossings(vertices, &order);
    for _ in 0..SWEEPS {
        for l in 1..layers {
            sort_by_barycenter(vertices, &mut order, l, l - 1, |x| &x.up);
        }
        for l in (0..layers.saturating_sub(1)).rev() {
            sort_by_barycenter(vertices, &mut order, l, l + 1, |x| &x.down);
        }
        let count = crossings(vertices, &order);
        if count < fewest {
            fewest = count;
            best = order.clone();
        }
    }
    best
}

/// Reorders layer `l` by the mean position of each vertex's neighbours in layer `by`; a vertex
/// with none there keeps its place.
fn sort_by_barycenter(
    vertices: &[Vertex],
    order: &mut [Vec<usize>],
    l: usize,
    by: usize,
    neighbours: impl Fn(&Vertex) -> &Vec<usize>,
) {
    let mut rank = vec![0.0; vertices.len()];
    for (i, &v) in order[by].iter().enumerate() {
        rank[v] = i as f64;
    }
    let mut keyed: Vec<(f64, usize)> = order[l]
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let near = neighbours(&vertices[v]);
            let key = if near.is_empty() {
                i as f64
            } else {
                near.iter().map(|&u| rank[u]).sum::<f64>() / near.len() as f64
            };
            (key, v)
        })
        .collect();
    // Stable, so ties keep their order and the sweeps settle; by insertion, since a layer holds
    // tens of vertices and the standard library's stable sort is several KB of wasm.
    for i in 1..keyed.len() {
        let mut j = i;
        while j > 0 && keyed[j - 1].0.total_cmp(&keyed[j].0).is_gt() {
            keyed.swap(j - 1, j);
            j -= 1;
        }
    }
    order[l] = keyed.into_iter().map(|(_, v)| v).collect();
}

/// Edge crossings between consecutive layers, counted pair by pair (a formula's layers hold
/// tens of edges, not thousands).
fn crossings(vertices: &[Vertex], order: &[Vec<usize>]) -> usize {
    let mut rank = vec![0usize; vertices.len()];
    for layer in order {
        for (i, &v) in layer.iter().enumerate() {
            rank[v] = i;
        }
    }
    let mut count = 0;
    for layer in order {
        let edges: Vec<(usize, usize)> = layer
            .iter()
            .flat_map(|&v| vertices[v].down.iter().map(move |&w| (v, w)))
            .map(|(v, w)| (rank[v], rank[w]))
            .collect();
        for (i, a) in edges.iter().enumerate() {
            count += edges[i + 1..]
                .iter()
                .filter(|b| (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1))
                .count();
        }
    }
    count
}

/// Positions across the layers: in order, each vertex pulled towards the mean of its
/// neighbours in the layer just swept from, with the gaps kept (a node takes 1, a bend point
/// [`BEND_GAP`]).
fn positions(vertices: &mut [Vertex], order: &[Vec<usize>]) -> Vec<f64> {
    let mut at = vec![0.0; vertices.len()];
    for layer in order {
        let mut next = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                next += gap(vertices, layer[i - 1], v);
            }
            at[v] = next;
        }
    }
    for round in 0..ROUNDS {
        let down = round % 2 == 0;
        let sequence: Vec<usize> = if down {
            (1..order.len()).collect()
        } else {
            (0..order.len().saturating_sub(1)).rev().collect()
        };
        for l in sequence {
            let wanted: Vec<f64> = order[l]
                .iter()
                .map(|&v| {
                    let near = if down {
                        &vertices[v].up
                    } else {
                        &vertices[v].down
                    };
                    if near.is_empty() {
                        at[v]
                    } else {
                        near.iter().map(|&u| at[u]).sum::<f64>() / near.len() as f64
                    }
                })
                .collect();
            spread(vertices, &order[l], &wanted, &mut at);
        }
    }
    at
}

/// Puts the vertices of one layer as near their wanted positions as their gaps allow: pushed
/// right from the left, pushed left from the right, and the two averaged (each keeps the gaps,
/// so their mean does).
fn spread(vertices: &[Vertex], layer: &[usize], wanted: &[f64], at: &mut [f64]) {
    let k = layer.len();
    let mut right = wanted.to_vec();
    for i in 1..k {
        right[i] = right[i].max(right[i - 1] + gap(vertices, layer[i - 1], layer[i]));
    }
    let mut left = wanted.to_vec();
    for i in (0..k.saturating_sub(1)).rev() {
        left[i] = left[i].min(left[i + 1] - gap(vertices, layer[i], layer[i + 1]));
    }
    for i in 0..k {
        at[layer[i]] = (right[i] + left[i]) / 2.0;
    }
}

/// The room between two neighbours in a layer: half each one's width.
fn gap(vertices: &[Vertex], a: usize, b: usize) -> f64 {
    let width = |v: usize| if vertices[v].bend { BEND_GAP } else { 1.0 };
    (width(a) + width(b)) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// micrograd's neuron tanh(x1·w1 + x2·w2 + b) as Graph compiles it: the five variables
    /// (b, w1, w2, x1, x2), x1·w1, x2·w2, their sum, + b, tanh.
    fn neuron() -> (Vec<Vec<usize>>, Vec<bool>) {
        let inputs = vec![
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![3, 1],
            vec![4, 2],
            vec![5, 6],
            vec![7, 0],
            vec![8],
        ];
        let mut pinned = vec![false; 10];
        pinned[..5].fill(true);
        (inputs, pinned)
    }

    fn assert_well_formed(layout: &Layout, inputs: &[Vec<usize>]) {
        for (v, args) in inputs.iter().enumerate() {
            for &u in args {
                assert!(
                    layout.nodes[u].layer < layout.nodes[v].layer,
                    "edge {u} → {v} runs back"
                );
            }
        }
        let edges: usize = inputs.iter().map(Vec::len).sum();
        assert_eq!(layout.routes.len(), edges);
        for route in &layout.routes {
            let layers: Vec<f64> = route.points.iter().map(|p| p.0).collect();
            assert!(
                layers.windows(2).all(|w| w[1] == w[0] + 1.0),
                "{route:?} skips a layer"
            );
        }
        for l in 0..layout.layers {
            let mut row: Vec<f64> = layout
                .nodes
                .iter()
                .filter(|p| p.layer == l)
                .map(|p| p.across)
                .collect();
            row.sort_by(f64::total_cmp);
            assert!(
                row.windows(2).all(|w| w[1] - w[0] >= 1.0 - 1e-9),
                "layer {l} too tight: {row:?}"
            );
            assert!(row
                .iter()
                .all(|&a| (0.0..=layout.breadth + 1e-9).contains(&a)));
        }
    }

    #[test]
    fn the_neuron_reads_from_its_inputs_to_tanh() {
        let (inputs, pinned) = neuron();
        let layout = layered(&inputs, &pinned);
        assert_eq!(layout.layers, 5);
        let layers: Vec<usize> = layout.nodes.iter().map(|p| p.layer).collect();
        assert_eq!(layers, [0, 0, 0, 0, 0, 1, 1, 2, 3, 4]);
        assert_well_formed(&layout, &inputs);
        // b's edge to the last sum bends through layers 1 and 2.
        let b: Vec<usize> = layout
            .routes
            .iter()
            .filter(|r| r.from == 0)
            .map(|r| r.points.len())
            .collect();
        assert_eq!(b, [4]);
    }

    #[test]
    fn a_constant_sits_just_before_its_user() {
        // colah's e = (a + b)(b + 1): a, b, c = a + b, 1, d = b + 1, e = c·d.
        let inputs = vec![vec![], vec![], vec![0, 1], vec![], vec![1, 3], vec![2, 4]];
        let pinned = [true, true, false, false, false, false];
        let layout = layered(&inputs, &pinned);
        let layers: Vec<usize> = layout.nodes.iter().map(|p| p.layer).collect();
        assert_eq!(layers, [0, 0, 1, 0, 1, 2]);
        assert_well_formed(&layout, &inputs);
        // An unpinned input far from its user moves up to it.
        let late = layered(
            &[vec![], vec![0], vec![1], vec![], vec![2, 3]],
            &[true, false, false, false, false],
        );
        assert_eq!(late.nodes[3].layer, 2);
    }

    #[test]
    fn barycenter_sweeps_undo_a_crossing() {
        // Two chains a → c and b → d, listed so that c comes before d but reads b... crossed.
        let inputs = vec![vec![], vec![], vec![1], vec![0]];
        let layout = layered(&inputs, &[true; 4]);
        let (a, b, c, d) = (
            layout.nodes[0],
            layout.nodes[1],
            layout.nodes[2],
            layout.nodes[3],
        );
        assert_eq!((a.across < b.across), (d.across < c.across), "{layout:?}");
    }

    #[test]
    fn a_node_read_twice_gets_two_routes() {
        // x, sin x, sin x · sin x, then + x.
        let inputs = vec![vec![], vec![0], vec![1, 1], vec![2, 0]];
        let layout = layered(&inputs, &[true, false, false, false]);
        let slots: Vec<(usize, usize, usize)> = layout
            .routes
            .iter()
            .map(|r| (r.from, r.to, r.slot))
            .collect();
        assert_eq!(
            slots,
            [(0, 1, 0), (1, 2, 0), (1, 2, 1), (2, 3, 0), (0, 3, 1)]
        );
        assert_well_formed(&layout, &inputs);
    }

    #[test]
    fn a_sum_of_many_products_lays_out_quickly() {
        // x0·w0 + x1·w1 + … as the parser nests it: 150 nodes.
        let mut inputs: Vec<Vec<usize>> = vec![vec![]; 76];
        let mut sum = None;
        for k in 0..38 {
            inputs.push(vec![2 * k, 2 * k + 1]);
            let product = inputs.len() - 1;
            if let Some(s) = sum {
                inputs.push(vec![s, product]);
                sum = Some(inputs.len() - 1);
            } else {
                sum = Some(product);
            }
        }
        assert_eq!(inputs.len(), 151);
        let mut pinned = vec![false; inputs.len()];
        pinned[..76].fill(true);
        let started = std::time::Instant::now();
        let layout = layered(&inputs, &pinned);
        assert!(started.elapsed().as_millis() < 200);
        assert_well_formed(&layout, &inputs);
        assert_eq!(layout.layers, 39);
    }

    #[test]
    fn nothing_and_one_node() {
        assert_eq!(layered(&[], &[]), Layout::default());
        let one = layered(&[vec![]], &[true]);
        assert_eq!((one.layers, one.breadth, one.nodes[0].layer), (1, 0.0, 0));
    }
}
