"""A corpus of real published networks at their true sizes, in every style, for the quality
check: the figures a user draws first must come out right with the defaults.

Each entry is ``(name, style, tokens, options)``, drawn by ``nnsvg.draw(style, tokens, **options)``.
Most use the defaults; a few use the options papers commonly turn on (dimension labels, log
sizes, a theme, bias units, activations). Sources are named next to each entry; shapes are the
layers' outputs as the papers (or the framework examples) give them.
"""

from __future__ import annotations

from typing import Any

Network = tuple[str, str, list[Any], dict[str, Any]]

# --- fully connected (fcnn) ----------------------------------------------------------------
FCNN: list[Network] = [
    # the Keras/PyTorch MNIST MLP example
    ("mnist-mlp", "fcnn", [784, 512, 256, 10], {}),
    # LeCun, Bottou, Bengio, Haffner 1998, "Gradient-based learning...": the 300-100 MLP
    ("lecun98-mlp-300-100", "fcnn", [784, 300, 100, 10], {}),
    # the MNIST autoencoder of the Keras blog ("Building autoencoders in Keras", deep variant)
    ("mnist-autoencoder", "fcnn", [784, 128, 32, 128, 784], {}),
    # Rumelhart, Hinton, Williams 1986: XOR with two hidden units, drawn with bias units
    ("xor-2-2-1", "fcnn", [2, 2, 1], {"bias": True}),
    # the Iris classifier of the scikit-learn / TensorFlow tutorials
    ("iris-4-10-3", "fcnn", [4, 10, 3], {"activations": ["relu", "softmax"]}),
    # Boston housing regression (Chollet, Deep Learning with Python, 3.6), bottom to top
    ("boston-housing", "fcnn", [13, 64, 64, 1], {"direction": "up", "theme": "paper"}),
]

# --- feature-map stacks (lenet) ------------------------------------------------------------
LENET: list[Network] = [
    # LeCun et al. 1998, Fig. 2
    ("lenet-5", "lenet", ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 84, 10], {}),
    # Krizhevsky, Sutskever, Hinton 2012 (one GPU's worth of channels merged; 227 input as in Caffe)
    ("alexnet-maps", "lenet", ["3@227x227:11x11", "96@55x55", "96@27x27", "256@27x27", "256@13x13",
                               "384@13x13", "384@13x13", "256@13x13", "256@6x6", 4096, 4096, 1000], {}),
    # Simonyan, Zisserman 2015, configuration D: each block's output and its pooled maps
    ("vgg-16-maps", "lenet", ["3@224x224", "64@224x224", "64@112x112", "128@112x112", "128@56x56",
                              "256@56x56", "256@28x28", "512@28x28", "512@14x14", "512@14x14", "512@7x7",
                              4096, 4096, 1000], {"map_size": "log", "dense_size": "sqrt"}),
    # the Keras MNIST convnet example (two 3x3 convolutions, 2x2 max-pool, dense 128)
    ("mnist-cnn", "lenet", ["1@28x28", "32@26x26", "64@24x24", "64@12x12", 128, 10], {}),
    # a small CIFAR-10 CNN (the PyTorch / Keras tutorials' three conv blocks)
    ("cifar-small-cnn", "lenet", ["3@32x32", "32@32x32", "32@16x16", "64@16x16", "64@8x8", "128@8x8",
                                  "128@4x4", 10], {"theme": "paper"}),
    # He et al. 2016, ResNet-18's stem: 7x7/2 convolution, 3x3/2 max-pool
    ("resnet-18-stem", "lenet", ["3@224x224:7x7", "64@112x112:3x3", "64@56x56"], {}),
    # Zeiler, Fergus 2014, Fig. 3
    ("zfnet-maps", "lenet", ["3@224x224:7x7", "96@110x110", "96@55x55", "256@26x26", "256@13x13",
                             "384@13x13", "384@13x13", "256@13x13", "256@6x6", 4096, 4096, 1000], {}),
]

# --- 3D volumes (alexnet) ------------------------------------------------------------------
ALEXNET: list[Network] = [
    # Krizhevsky et al. 2012, Fig. 2, with its dimensions
    ("alexnet", "alexnet", ["224x224x3:11x11", "55x55x96:5x5", "27x27x256:3x3", "13x13x384:3x3",
                            "13x13x384:3x3", "13x13x256", 4096, 4096, 1000], {"dims": True}),
    # Zeiler, Fergus 2014, Fig. 3
    ("zfnet", "alexnet", ["224x224x3:7x7", "110x110x96:5x5", "26x26x256:3x3", "13x13x384:3x3",
                          "13x13x384:3x3", "13x13x256", 4096, 4096, 1000], {}),
    # Simonyan, Zisserman 2015, configuration D, one volume per block
    ("vgg-16", "alexnet", ["224x224x3:3x3", "224x224x64:3x3", "112x112x128:3x3", "56x56x256:3x3",
                           "28x28x512:3x3", "14x14x512:3x3", "7x7x512", 4096, 4096, 1000], {}),
    # Simonyan, Zisserman 2015, configuration A (VGG-11): every convolution's output
    ("vgg-11", "alexnet", ["224x224x3:3x3", "224x224x64:3x3", "112x112x128:3x3", "56x56x256:3x3",
                           "56x56x256:3x3", "28x28x512:3x3", "28x28x512:3x3", "14x14x512:3x3",
                           "14x14x512:3x3", "7x7x512", 4096, 4096, 1000], {"theme": "paper"}),
    # LeCun et al. 1998 as volumes
    ("lenet-5-volumes", "alexnet", ["32x32x1:5x5", "28x28x6:2x2", "14x14x6:5x5", "10x10x16:2x2", "5x5x16",
                                    120, 84, 10], {"dims": True}),
    # a small CIFAR-10 CNN with its filter sizes written on the filters
    ("cifar-small-cnn-volumes", "alexnet", ["32x32x3:3x3", "32x32x32:3x3", "16x16x64:3x3", "8x8x128", 10],
     {"filter_dims": True}),
    # He et al. 2016, ResNet-18's stem
    ("resnet-18-stem-volumes", "alexnet", ["224x224x3:7x7", "112x112x64:3x3", "56x56x64"], {"dims": True}),
]

# --- recurrent (rnn) -----------------------------------------------------------------------
RNN: list[Network] = [
    # Karpathy 2015, "The unreasonable effectiveness of RNNs": "hell" -> "ello", 4-3-4, 4 steps
    ("char-rnn", "rnn", [4, 3, 4], {"unroll": 4}),
    # Zaremba, Sutskever, Vinyals 2014, the small model: 2 LSTM layers of 200 on a 10k vocabulary
    ("lstm-2-layer-ptb", "rnn", [10000, 200, 200, 10000], {"cell": "lstm", "unroll": 3}),
    # Cho et al. 2014 style GRU encoder over word vectors, a sentiment read-out at the end
    ("gru-unrolled", "rnn", [300, 128, 2], {"cell": "gru", "unroll": 4, "outputs": "last"}),
    # the Keras IMDB LSTM example: 128-d embeddings, LSTM(128), one sigmoid output
    ("imdb-lstm-classifier", "rnn", [128, 128, 1], {"cell": "lstm", "unroll": 5, "outputs": "last",
                                                    "theme": "paper"}),
    # Elman 1990, "Finding structure in time": the XOR-in-time network, folded
    ("elman-xor", "rnn", [1, 2, 1], {}),
]

# --- block diagrams (blocks) --------------------------------------------------------------------
BLOCKS: list[Network] = [
    # Simonyan, Zisserman 2015, VGG-16 as a chain of its stages
    ("vgg-16-blocks", "blocks", ["image:224×224×3", "conv3x3:64", "conv3x3:64", "maxpool", "conv3x3:128",
                                 "conv3x3:128", "maxpool", "conv3x3:256", "conv3x3:256", "conv3x3:256", "maxpool",
                                 "fc:4096", "fc:4096", "fc:1000", "softmax"], {}),
    # Huang et al. 2017, a dense block of three layers: every layer gets all earlier outputs (concat)
    ("densenet-block", "blocks", [{"op": "input", "name": "x0"}, "bn", "relu", {"op": "conv3x3", "name": "x1"},
                                  {"op": "concat", "inputs": ["x0", "x1"], "name": "c1"}, "bn", "relu",
                                  {"op": "conv3x3", "name": "x2"},
                                  {"op": "concat", "inputs": ["x0", "x1", "x2"]}], {"direction": "bt"}),
    # Hu et al. 2018, squeeze-and-excitation: a gate multiplied into the residual branch
    ("se-block", "blocks", [{"op": "input", "name": "x"}, {"op": "conv3x3", "name": "u"}, "gap", "fc:C/16", "relu",
                            "fc:C", {"op": "sigmoid", "name": "gate"},
                            {"op": "multiply", "inputs": ["u", "gate"], "name": "scaled"},
                            {"op": "add", "inputs": ["scaled", "x"]}], {"direction": "bt"}),
    # Sandler et al. 2018, MobileNetV2's inverted residual block, with parameter counts
    ("mobilenetv2-block", "blocks", ["input:56×56×24", "conv1x1:144:3456", "bn", "relu", "dwconv3x3:144:1296",
                                     "bn", "relu", "conv1x1:24:3456", "bn", "add"],
     {"connections": ["0:9:add"], "params": True, "theme": "paper"}),
    # Dosovitskiy et al. 2021, a ViT encoder layer (pre-norm), flowing left to right
    ("vit-encoder-layer", "blocks", ["patchembed:196×768", "ln", "mha", {"op": "add", "name": "a1"}, "ln", "mlp:3072",
                                     "add"], {"connections": ["0:3:add", "a1:6:add"]}),
    # Ronneberger et al. 2015, a two-level U-Net as blocks: skips concatenated on the way up
    ("unet-2-level-blocks", "blocks", [{"op": "input", "name": "x"}, {"op": "conv3x3:64", "name": "e1"},
                                       "maxpool", {"op": "conv3x3:128", "name": "e2"}, "maxpool", "conv3x3:256",
                                       "upconv", {"op": "concat", "inputs": [6, "e2"]}, "conv3x3:128", "upconv",
                                       {"op": "concat", "inputs": [9, "e1"]}, "conv3x3:64", "conv1x1:2"],
     {"theme": "colorblind"}),
]

CORPUS: list[Network] = [*FCNN, *LENET, *ALEXNET, *RNN, *BLOCKS]
