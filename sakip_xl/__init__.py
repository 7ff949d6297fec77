"""sakip-xl: the standard LKjIP workbook, its checks and its formula-checked tables."""

__version__ = "0.1.0"
