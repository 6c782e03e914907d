// TensorFlow Playground's own network engine, for the training benchmark: a plain-JS port of
// src/nn.ts of github.com/tensorflow/playground (Apache License 2.0, © 2016 Google Inc.),
// line for line where it matters for speed: one object per neuron and one per link,
// forwardProp/backProp per example, updateWeights every batchSize examples, as Playground's
// oneStep() trains. Regularization is off (as in the benchmark), so its branches are left out.
// Loaded into the bench page as a classic script; it defines globalThis.playgroundNN.
(() => {
  const TANH = {
    output: (x) => Math.tanh(x),
    der: (x) => {
      const output = Math.tanh(x);
      return 1 - output * output;
    },
  };
  const LINEAR = { output: (x) => x, der: () => 1 };
  const SQUARE = { der: (output, target) => output - target };

  class Node {
    constructor(id, activation) {
      this.id = id;
      this.inputLinks = [];
      this.bias = 0.1;
      this.outputs = [];
      this.totalInput = 0;
      this.output = 0;
      this.outputDer = 0;
      this.inputDer = 0;
      this.accInputDer = 0;
      this.numAccumulatedDers = 0;
      this.activation = activation;
    }
    updateOutput() {
      this.totalInput = this.bias;
      for (let j = 0; j < this.inputLinks.length; j++) {
        const link = this.inputLinks[j];
        this.totalInput += link.weight * link.source.output;
      }
      this.output = this.activation.output(this.totalInput);
      return this.output;
    }
  }

  class Link {
    constructor(source, dest) {
      this.id = source.id + '-' + dest.id;
      this.source = source;
      this.dest = dest;
      this.weight = Math.random() - 0.5;
      this.isDead = false;
      this.errorDer = 0;
      this.accErrorDer = 0;
      this.numAccumulatedDers = 0;
    }
  }

  function buildNetwork(shape, activation, outputActivation, inputIds) {
    let id = 1;
    const network = [];
    for (let layerIdx = 0; layerIdx < shape.length; layerIdx++) {
      const isOutputLayer = layerIdx === shape.length - 1;
      const isInputLayer = layerIdx === 0;
      const currentLayer = [];
      network.push(currentLayer);
      for (let i = 0; i < shape[layerIdx]; i++) {
        let nodeId = id.toString();
        if (isInputLayer) nodeId = inputIds[i];
        else id++;
        const node = new Node(nodeId, isOutputLayer ? outputActivation : activation);
        currentLayer.push(node);
        if (layerIdx >= 1) {
          for (const prevNode of network[layerIdx - 1]) {
            const link = new Link(prevNode, node);
            prevNode.outputs.push(link);
            node.inputLinks.push(link);
          }
        }
      }
    }
    return network;
  }

  function forwardProp(network, inputs) {
    const inputLayer = network[0];
    for (let i = 0; i < inputLayer.length; i++) inputLayer[i].output = inputs[i];
    for (let layerIdx = 1; layerIdx < network.length; layerIdx++) {
      const currentLayer = network[layerIdx];
      for (let i = 0; i < currentLayer.length; i++) currentLayer[i].updateOutput();
    }
    return network[network.length - 1][0].output;
  }

  function backProp(network, target, errorFunc) {
    const outputNode = network[network.length - 1][0];
    outputNode.outputDer = errorFunc.der(outputNode.output, target);
    for (let layerIdx = network.length - 1; layerIdx >= 1; layerIdx--) {
      const currentLayer = network[layerIdx];
      for (let i = 0; i < currentLayer.length; i++) {
        const node = currentLayer[i];
        node.inputDer = node.outputDer * node.activation.der(node.totalInput);
        node.accInputDer += node.inputDer;
        node.numAccumulatedDers++;
      }
      for (let i = 0; i < currentLayer.length; i++) {
        const node = currentLayer[i];
        for (let j = 0; j < node.inputLinks.length; j++) {
          const link = node.inputLinks[j];
          if (link.isDead) continue;
          link.errorDer = node.inputDer * link.source.output;
          link.accErrorDer += link.errorDer;
          link.numAccumulatedDers++;
        }
      }
      if (layerIdx === 1) continue;
      const prevLayer = network[layerIdx - 1];
      for (let i = 0; i < prevLayer.length; i++) {
        const node = prevLayer[i];
        node.outputDer = 0;
        for (let j = 0; j < node.outputs.length; j++) {
          const output = node.outputs[j];
          node.outputDer += output.weight * output.dest.inputDer;
        }
      }
    }
  }

  function updateWeights(network, learningRate) {
    for (let layerIdx = 1; layerIdx < network.length; layerIdx++) {
      const currentLayer = network[layerIdx];
      for (let i = 0; i < currentLayer.length; i++) {
        const node = currentLayer[i];
        if (node.numAccumulatedDers > 0) {
          node.bias -= (learningRate * node.accInputDer) / node.numAccumulatedDers;
          node.accInputDer = 0;
          node.numAccumulatedDers = 0;
        }
        for (let j = 0; j < node.inputLinks.length; j++) {
          const link = node.inputLinks[j];
          if (link.isDead) continue;
          if (link.numAccumulatedDers > 0) {
            link.weight = link.weight - (learningRate / link.numAccumulatedDers) * link.accErrorDer;
            link.accErrorDer = 0;
            link.numAccumulatedDers = 0;
          }
        }
      }
    }
  }

  /** One epoch as Playground's oneStep() runs it (without its loss and UI updates). */
  function epoch(network, points, labels, batchSize, learningRate) {
    const input = [0, 0];
    for (let i = 0; i < labels.length; i++) {
      input[0] = points[2 * i];
      input[1] = points[2 * i + 1];
      forwardProp(network, input);
      backProp(network, labels[i], SQUARE);
      if ((i + 1) % batchSize === 0) updateWeights(network, learningRate);
    }
  }

  globalThis.playgroundNN = { TANH, LINEAR, buildNetwork, forwardProp, epoch };
})();
