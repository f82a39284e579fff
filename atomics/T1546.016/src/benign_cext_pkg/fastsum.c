/* atomic-lab benign scenario: a tiny C extension (sum of a sequence of integers). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *fastsum(PyObject *self, PyObject *args) {
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O", &seq)) return NULL;
    PyObject *it = PyObject_GetIter(seq);
    if (!it) return NULL;
    long long total = 0;
    PyObject *item;
    while ((item = PyIter_Next(it))) {
        total += PyLong_AsLongLong(item);
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromLongLong(total);
}

static PyMethodDef methods[] = {
    {"fastsum", fastsum, METH_VARARGS, "Sum of an iterable of integers."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "atomic_lab_fastsum", NULL, -1, methods};

PyMODINIT_FUNC PyInit_atomic_lab_fastsum(void) { return PyModule_Create(&module); }
