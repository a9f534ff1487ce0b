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

# Ronneberger, Fischer, Brox 2015, "U-Net", Fig. 1: each level's two 3x3 convolutions (valid),
# the last map of each encoder level copied and concatenated into the decoder of its level
UNET_LAYERS: list[Any] = [
    "572x572x1", "570x570x64", {"size": "568x568x64", "name": "enc1"}, "282x282x128",
    {"size": "280x280x128", "name": "enc2"}, "138x138x256", {"size": "136x136x256", "name": "enc3"},
    "66x66x512", {"size": "64x64x512", "name": "enc4"}, "30x30x1024", "28x28x1024",
    {"size": "54x54x512", "name": "dec4"}, "52x52x512", {"size": "102x102x256", "name": "dec3"}, "100x100x256",
    {"size": "198x198x128", "name": "dec2"}, "196x196x128", {"size": "390x390x64", "name": "dec1"}, "388x388x64",
    "388x388x2"]
UNET_SKIPS = [{"from": f"enc{i}", "to": f"dec{i}", "kind": "concat"} for i in (1, 2, 3, 4)]


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
    # skips, levels and generators (issue 25)
    # Ronneberger et al. 2015 (UNET_LAYERS above), flat: the four concatenated skips as arcs over the row
    ("unet-flat", "alexnet", UNET_LAYERS, {"connections": UNET_SKIPS}),
    # the same as a U, as in its Fig. 1 (the gallery's alexnet-unet.yaml without its dimensions)
    ("unet-u", "alexnet", UNET_LAYERS, {"connections": UNET_SKIPS,
                                        "levels": [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0, 0]}),
    # Long, Shelhamer, Darrell 2015, "Fully convolutional networks", Fig. 3 (FCN-8s on VGG-16, PASCAL
    # VOC's 21 classes): pool3..pool5, conv6-7, the 2x upsampled scores fused (summed) with pool4's and
    # pool3's scores, and the final 8x upsampling
    ("fcn-8s", "alexnet", ["224x224x3", "112x112x64", "56x56x128", {"size": "28x28x256", "name": "pool3"},
                           {"size": "14x14x512", "name": "pool4"}, "7x7x512", "7x7x4096", "7x7x21",
                           {"size": "14x14x21", "name": "up2"}, {"size": "28x28x21", "name": "up4"}, "224x224x21"],
     {"connections": [{"from": "pool4", "to": "up2", "kind": "add"}, {"from": "pool3", "to": "up4", "kind": "add"}]}),
    # Xie, Tu 2015, "Holistically-nested edge detection", Fig. 3 and Sec. 4 (HED on VGG-16): a side output
    # from the last convolution of each of the five stages (conv1_2 ... conv5_3), all upsampled and fused
    # into the edge map (four as skips, the fifth is the chain's own link)
    ("hed", "alexnet", ["224x224x3", {"size": "224x224x64", "name": "s1"}, {"size": "112x112x128", "name": "s2"},
                        {"size": "56x56x256", "name": "s3"}, {"size": "28x28x512", "name": "s4"},
                        {"size": "14x14x512", "name": "s5"}, "224x224x1"],
     {"connections": [{"from": f"s{i}", "to": 6, "kind": "concat"} for i in (1, 2, 3, 4)]}),
    # Radford, Metz, Chintala 2016, "DCGAN", Fig. 1: the generator, z of 100 (a 1x1x100 volume) projected
    # and reshaped to 4x4x1024, four fractionally-strided 5x5 convolutions to a 64x64 RGB image
    ("dcgan-generator", "alexnet", ["1x1x100", "4x4x1024", "8x8x512", "16x16x256", "32x32x128", "64x64x3"],
     {"dims": True}),
    # Radford et al. 2016, Sec. 3 (no figure of its own): the discriminator, the generator mirrored (strided
    # 5x5 convolutions), one logit
    ("dcgan-discriminator", "alexnet", ["64x64x3:5x5", "32x32x128:5x5", "16x16x256:5x5", "8x8x512:5x5", "4x4x1024", 1],
     {}),
    # Badrinarayanan, Kendall, Cipolla 2017, "SegNet", Fig. 2 on CamVid (360x480, 11 classes): each
    # encoder stage's pooled map and the decoder's upsampled one, the max-pooling indices passed across
    # between the encoder and decoder maps of one size
    ("segnet", "alexnet", ["360x480x3", {"size": "180x240x64", "name": "e1"}, {"size": "90x120x128", "name": "e2"},
                           {"size": "45x60x256", "name": "e3"}, {"size": "23x30x512", "name": "e4"}, "12x15x512",
                           {"size": "23x30x512", "name": "d4"}, {"size": "45x60x256", "name": "d3"},
                           {"size": "90x120x128", "name": "d2"}, {"size": "180x240x64", "name": "d1"}, "360x480x11"],
     {"connections": [{"from": f"e{i}", "to": f"d{i}", "kind": "data"} for i in (1, 2, 3, 4)]}),
    # Simonyan, Zisserman 2015, configuration D with its dimensions
    ("vgg-16-dims", "alexnet", ["224x224x3:3x3", "224x224x64:3x3", "112x112x128:3x3", "56x56x256:3x3",
                                "28x28x512:3x3", "14x14x512:3x3", "7x7x512", 4096, 4096, 1000], {"dims": True}),
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
    # deep LSTM stacks (issue 25)
    # Sutskever, Vinyals, Le 2014, "Sequence to sequence learning": 4 LSTM layers of 1000 cells, a 160k
    # input and an 80k output vocabulary
    ("seq2seq-4-layer-lstm", "rnn", [160000, 1000, 1000, 1000, 1000, 80000], {"cell": "lstm", "unroll": 3}),
    # Graves, Mohamed, Hinton 2013, "Speech recognition with deep RNNs", CTC-3l-250h: TIMIT, 123 inputs
    # (40 filter-bank coefficients and energy, with deltas), three LSTM layers of 250, 62 outputs (61
    # phones and the CTC blank); the paper's layers are bidirectional, drawn here forward only
    ("graves-3-layer-lstm", "rnn", [123, 250, 250, 250, 62], {"cell": "lstm", "unroll": 4}),
]


def _resnet34() -> list[Any]:
    """ResNet-34's layers: the stem, one basic block per stage (its shortcut joins at ``sN``), the head."""
    layers: list[Any] = [{"op": "image", "shape": "224²×3"}, {"op": "conv7x7", "shape": "64, /2"},
                         {"op": "maxpool3x3", "shape": "/2", "name": "s0"}]
    for stage, width in enumerate((64, 128, 256, 512), start=1):
        first = f"{width}, /2" if stage > 1 else f"{width}"
        layers += [{"op": "conv3x3", "shape": first, "name": f"s{stage}a"},
                   {"op": "conv3x3", "shape": f"{width}", "name": f"s{stage}b"}, {"op": "add", "name": f"s{stage}"}]
    return [*layers, {"op": "gap", "label": "avg pool"}, {"op": "fc", "shape": "1000"}, "softmax"]


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
    # branches, merges, frames and columns (issue 25)
    # He, Zhang, Ren, Sun 2016, Table 1 and Fig. 3: ResNet-34 as a column, each stage's basic block
    # drawn once with its shortcut and its repeat count (3, 4, 6, 3)
    ("resnet-34-column", "blocks", _resnet34(),
     {"direction": "bt", "connections": [{"from": f"s{i - 1}", "to": f"s{i}", "kind": "add"} for i in (1, 2, 3, 4)],
      "blocks": [{"from": f"s{i}a", "to": f"s{i}", "label": f"conv{i + 1}_x", "repeat": n}
                 for i, n in zip((1, 2, 3, 4), (3, 4, 6, 3), strict=True)]}),
    # Szegedy et al. 2015, "Going deeper with convolutions", Fig. 2(b) with inception (3a)'s widths
    # from Table 1: four branches concatenated
    ("inception-3a", "blocks", [{"op": "input", "shape": "28×28×192", "label": "Previous layer", "name": "prev"},
                                {"op": "conv1x1", "shape": "64", "name": "a1", "inputs": ["prev"]},
                                {"op": "conv1x1", "shape": "96", "name": "b1", "inputs": ["prev"]},
                                {"op": "conv3x3", "shape": "128", "name": "b2", "inputs": ["b1"]},
                                {"op": "conv1x1", "shape": "16", "name": "c1", "inputs": ["prev"]},
                                {"op": "conv5x5", "shape": "32", "name": "c2", "inputs": ["c1"]},
                                {"op": "maxpool3x3", "name": "d1", "inputs": ["prev"]},
                                {"op": "conv1x1", "shape": "32", "name": "d2", "inputs": ["d1"]},
                                {"op": "concat", "label": "Filter concatenation", "shape": "28×28×256",
                                 "inputs": ["a1", "b2", "c2", "d2"]}], {"direction": "bt"}),
    # Vaswani et al. 2017, "Attention is all you need", Fig. 1 (the gallery's blocks-transformer.yaml)
    ("transformer", "blocks", [
        {"op": "embed", "label": "Input Embedding", "name": "in_emb"},
        {"op": "posenc", "name": "pe_in", "inputs": []},
        {"op": "add", "name": "in_add", "inputs": ["in_emb", "pe_in"]},
        {"op": "mha", "name": "enc_att", "inputs": ["in_add"]},
        {"op": "addnorm", "name": "enc_n1", "inputs": ["enc_att", "in_add"]}, {"op": "ffn", "name": "enc_ff"},
        {"op": "addnorm", "name": "enc_n2", "inputs": ["enc_ff", "enc_n1"]},
        {"op": "embed", "label": "Output Embedding", "name": "out_emb", "inputs": []},
        {"op": "posenc", "name": "pe_out", "inputs": []},
        {"op": "add", "name": "out_add", "inputs": ["out_emb", "pe_out"]},
        {"op": "maskedmha", "name": "dec_self"}, {"op": "addnorm", "name": "dec_n1", "inputs": ["dec_self", "out_add"]},
        {"op": "mha", "name": "dec_cross"}, {"op": "addnorm", "name": "dec_n2", "inputs": ["dec_cross", "dec_n1"]},
        {"op": "ffn", "name": "dec_ff"}, {"op": "addnorm", "name": "dec_n3", "inputs": ["dec_ff", "dec_n2"]},
        {"op": "linear", "name": "lin"}, {"op": "softmax", "name": "out"}],
     {"direction": "bt", "connections": [{"from": "enc_n2", "to": "dec_cross"}],
      "blocks": [{"from": "enc_att", "to": "enc_n2", "label": "N×"},
                 {"from": "dec_self", "to": "dec_n3", "label": "N×"}]}),
    # Hochreiter, Schmidhuber 1997 with the forget gate of Gers et al. 2000, as drawn in Olah's
    # "Understanding LSTM networks" (2015): the gates from [h_{t-1}, x_t], the cell state updated by ⊗ and ⊕
    ("lstm-cell-blocks", "blocks", [
        {"op": "input", "label": "hₜ₋₁", "name": "h"}, {"op": "input", "label": "xₜ", "name": "x", "inputs": []},
        {"op": "concat", "name": "hx", "inputs": ["h", "x"]},
        {"op": "sigmoid", "label": "σ forget", "name": "f", "inputs": ["hx"]},
        {"op": "sigmoid", "label": "σ input", "name": "i", "inputs": ["hx"]},
        {"op": "tanh", "label": "tanh", "name": "g", "inputs": ["hx"]},
        {"op": "sigmoid", "label": "σ output", "name": "o", "inputs": ["hx"]},
        {"op": "input", "label": "cₜ₋₁", "name": "c0", "inputs": []},
        {"op": "multiply", "name": "fc", "inputs": ["c0", "f"]}, {"op": "multiply", "name": "ig", "inputs": ["i", "g"]},
        {"op": "add", "name": "c", "inputs": ["fc", "ig"]}, {"op": "tanh", "name": "tc", "inputs": ["c"]},
        {"op": "multiply", "name": "ht", "inputs": ["o", "tc"]}], {}),
    # Goodfellow et al. 2014, "Generative adversarial nets": the generator maps noise to a sample, the
    # discriminator takes generated and real samples and says real or fake
    ("gan-blocks", "blocks", [
        {"op": "input", "label": "noise z", "shape": "100", "name": "z"},
        {"op": "fc", "label": "Generator G", "name": "g"},
        {"op": "input", "label": "G(z)", "name": "fake"},
        {"op": "input", "label": "real x", "name": "real", "inputs": []},
        {"op": "fc", "label": "Discriminator D", "name": "d", "inputs": ["fake", "real"]},
        {"op": "sigmoid", "label": "real / fake"}], {}),
    # Koch, Zemel, Salakhutdinov 2015, "Siamese neural networks for one-shot image recognition", Fig. 4:
    # two 105x105 images through twin networks (shared weights), the L1 distance, one sigmoid unit
    ("siamese-net", "blocks", [
        {"op": "input", "shape": "105×105", "name": "x1"}, "conv10x10:64", "maxpool", "conv7x7:128", "maxpool",
        "conv4x4:128", "maxpool", "conv4x4:256", {"op": "fc", "shape": "4096", "name": "h1"},
        {"op": "input", "shape": "105×105", "name": "x2", "inputs": []}, "conv10x10:64", "maxpool", "conv7x7:128",
        "maxpool", "conv4x4:128", "maxpool", "conv4x4:256", {"op": "fc", "shape": "4096", "name": "h2"},
        {"op": "l1distance", "label": "|h₁ − h₂|", "inputs": ["h1", "h2"]}, "fc:1", "sigmoid"], {}),
]

CORPUS: list[Network] = [*FCNN, *LENET, *ALEXNET, *RNN, *BLOCKS]
"""Every network above, each passing the figure-quality check at its natural size."""

# --- real networks that fail the quality check at their natural size today (product bugs) ------
# Each is kept out of CORPUS with the exact problem the check reports; tests/test_corpus.py
# asserts that it still fails so, and fails loudly once it is fixed (then move it into CORPUS).
FAILS_AT_NATURAL_SIZE: dict[str, tuple[Network, str]] = {
    "conv-autoencoder": (
        # the convolutional autoencoder of the Keras blog ("Building autoencoders in Keras"): 28x28 digits
        # to a 4x4x8 code and back
        ("conv-autoencoder", "alexnet", ["28x28x1:3x3", "14x14x16:3x3", "7x7x8:3x3", "4x4x8:3x3", "8x8x8:3x3",
                                         "16x16x8:3x3", "28x28x16:3x3", "28x28x1"], {"dims": True}),
        "text-on-shape: the dimension label '7' of the 7x7x8 volume (labels-2) is on the leader line "
        "of the next volume's label (labels-3, leader)"),
}
